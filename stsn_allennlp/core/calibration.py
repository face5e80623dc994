"""
The relation threshold, chosen on held-out predictions: RE+ at each candidate threshold from one
prediction pass at a low one.

A relation predicted at threshold `t` is one whose score is at least `t`, so the predictions at a
low threshold hold those of every higher one: filtering them by score gives the predictions at
each candidate without predicting again (as long as the per-sentence relation cap did not bind at
the low threshold).

Plain Python: nothing here knows AllenNLP.
"""

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from stsn_allennlp.core.scoring import (
    AnnotatedSentence,
    PrecisionRecallF1,
    count_sentences,
)

DEFAULT_THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(2, 19))
"""0.10, 0.15, ..., 0.90."""


class Prediction(NamedTuple):
    """A predicted sentence as the scoring reads it: relations as `(head, tail, type)`."""

    tokens: Sequence[str]
    entities: Sequence[Sequence]
    relations: Sequence[tuple[int, int, str]]


class ScoredPrediction(NamedTuple):
    """
    A predicted sentence whose relations carry their scores.

    # Parameters

    tokens : `Sequence[str]`
    entities : `Sequence[Sequence]`
        `(start, end_exclusive, type)` per entity.
    relations : `Sequence[Tuple[int, int, str, float]]`
        `(head, tail, type, score)` per relation, indices into `entities`.
    """

    tokens: Sequence[str]
    entities: Sequence[Sequence]
    relations: Sequence[tuple[int, int, str, float]]

    def at_threshold(self, threshold: float) -> Prediction:
        """The sentence with the relations scoring at least `threshold`."""
        kept = [
            (head, tail, label) for head, tail, label, score in self.relations if score >= threshold
        ]
        return Prediction(self.tokens, self.entities, kept)


def scored_prediction(record: dict) -> ScoredPrediction:
    """
    A `ScoredPrediction` from a prediction record as the predictor writes it (`tokens`, `entities`
    with `type`, `start`, `end`, and `relations` with `type`, `head`, `tail`, `score`).
    """
    return ScoredPrediction(
        record["tokens"],
        [(entity["start"], entity["end"], entity["type"]) for entity in record["entities"]],
        [
            (relation["head"], relation["tail"], relation["type"], float(relation["score"]))
            for relation in record["relations"]
        ],
    )


def sweep_relation_thresholds(
    gold: Sequence[AnnotatedSentence],
    predicted: Sequence[ScoredPrediction],
    thresholds: Iterable[float] = DEFAULT_THRESHOLDS,
    symmetric_relation_types: AbstractSet[str] = frozenset(),
) -> dict[float, PrecisionRecallF1]:
    """
    RE+ (strict) micro precision, recall and F1 at each threshold.

    # Parameters

    gold : `Sequence[AnnotatedSentence]`
        The gold sentences.
    predicted : `Sequence[ScoredPrediction]`
        The predictions at a threshold no higher than any of `thresholds`, aligned with `gold`.
    thresholds : `Iterable[float]`, optional (default = `DEFAULT_THRESHOLDS`)
        The candidates.
    symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
        Relation types that match in either direction.
    """
    return {
        threshold: count_sentences(
            gold,
            [sentence.at_threshold(threshold) for sentence in predicted],
            symmetric_relation_types,
        ).re_plus.micro()
        for threshold in thresholds
    }


def best_threshold(sweep: dict[float, PrecisionRecallF1]) -> float:
    """The threshold of the highest F1 in a sweep; of equal ones, the lowest threshold."""
    return min(sweep, key=lambda threshold: (-sweep[threshold].f1, threshold))
