"""The paper's error analysis (§4.3): scores by entity length and by sentence length.

- NER by entity length, in tokens: 1-2, 3-4, 5-6, 7-8, 9-10 (the paper's buckets, bounded by STSN's
  span width of 10) and >10 (for systems without that bound). An entity falls into the bucket of its
  own length, gold and predicted alike; a correct prediction has its gold entity's length, so each
  bucket's precision counts the predictions of that length and its recall the gold entities of it.
  Relations have two entities of possibly different lengths, so they are not bucketed by entity
  length.
- NER, RE (boundary) and RE+ (strict) by sentence length, in tokens: 0-19, 20-34, 35-49, >=50. A
  sentence's gold and predicted items all fall into its bucket.

Tables show micro scores (the paper's figures are on ACE05, reported micro), in percent, with the
counts behind them, so that a bucket's support is visible.
"""

from collections import defaultdict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from stsn_allennlp.core.scoring import (
    AnnotatedSentence,
    Entity,
    JointCounts,
    TypeCounts,
    count_sentences,
    entity_items,
)


class Bucket(NamedTuple):
    """A range of lengths, `low` to `high` inclusive; `high` is `None` when unbounded."""

    label: str
    low: int
    high: int | None


ENTITY_LENGTH_BUCKETS = (
    Bucket("1-2", 1, 2),
    Bucket("3-4", 3, 4),
    Bucket("5-6", 5, 6),
    Bucket("7-8", 7, 8),
    Bucket("9-10", 9, 10),
    Bucket(">10", 11, None),
)
SENTENCE_LENGTH_BUCKETS = (
    Bucket("0-19", 0, 19),
    Bucket("20-34", 20, 34),
    Bucket("35-49", 35, 49),
    Bucket(">=50", 50, None),
)

_TASK_TITLES = {"ner": "NER", "re": "RE (boundary)", "re_plus": "RE+ (strict)"}


def bucket_label(length: int, buckets: Sequence[Bucket]) -> str:
    """
    The label of the first bucket that holds `length`.

    # Parameters

    length : `int`
        A length in tokens.
    buckets : `Sequence[Bucket]`
        E.g. `ENTITY_LENGTH_BUCKETS` or `SENTENCE_LENGTH_BUCKETS`.
    """
    for bucket in buckets:
        if bucket.low <= length and (bucket.high is None or length <= bucket.high):
            return bucket.label
    raise ValueError(f"length {length} lies in none of the buckets {[b.label for b in buckets]}")


def ner_counts_by_entity_length(
    gold: Sequence[AnnotatedSentence], predicted: Sequence[AnnotatedSentence]
) -> dict[str, TypeCounts]:
    """
    NER counts per entity-length bucket (`ENTITY_LENGTH_BUCKETS`, all present, in order).

    # Parameters

    gold : `Sequence[AnnotatedSentence]`
        The gold sentences.
    predicted : `Sequence[AnnotatedSentence]`
        The predicted sentences, aligned with `gold`.
    """
    counts = {bucket.label: TypeCounts() for bucket in ENTITY_LENGTH_BUCKETS}
    for gold_sentence, predicted_sentence in zip(gold, predicted):
        gold_groups = _by_entity_length(gold_sentence.entities)
        predicted_groups = _by_entity_length(predicted_sentence.entities)
        for label, bucket_counts in counts.items():
            bucket_counts.add(gold_groups[label], predicted_groups[label])
    return counts


def counts_by_sentence_length(
    gold: Sequence[AnnotatedSentence],
    predicted: Sequence[AnnotatedSentence],
    symmetric_relation_types: AbstractSet[str] = frozenset(),
) -> dict[str, JointCounts]:
    """
    NER, RE and RE+ counts per sentence-length bucket (`SENTENCE_LENGTH_BUCKETS`, all present).

    # Parameters

    gold : `Sequence[AnnotatedSentence]`
        The gold sentences.
    predicted : `Sequence[AnnotatedSentence]`
        The predicted sentences, aligned with `gold`.
    symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
        Relation types that match in either direction.
    """
    pairs: dict[str, list[tuple[AnnotatedSentence, AnnotatedSentence]]] = {
        bucket.label: [] for bucket in SENTENCE_LENGTH_BUCKETS
    }
    for gold_sentence, predicted_sentence in zip(gold, predicted):
        label = bucket_label(len(gold_sentence.tokens), SENTENCE_LENGTH_BUCKETS)
        pairs[label].append((gold_sentence, predicted_sentence))
    return {
        label: count_sentences(
            [gold_sentence for gold_sentence, _ in bucket_pairs],
            [predicted_sentence for _, predicted_sentence in bucket_pairs],
            symmetric_relation_types,
        )
        for label, bucket_pairs in pairs.items()
    }


def format_table(title: str, rows: dict[str, TypeCounts]) -> str:
    """
    A text table of micro scores (percent) and counts, one row per bucket. A score that is
    undefined shows `-`: precision without predictions, recall without gold entities, F1 with
    neither (an empty bucket).

    # Parameters

    title : `str`
        The table's first line.
    rows : `Dict[str, TypeCounts]`
        Counts by row label, in display order.
    """
    header = ("bucket", "gold", "pred", "correct", "precision", "recall", "f1")
    lines = [title, "".join(f"{column:>10}" for column in header)]
    for label, counts in rows.items():
        totals = (sum(counts.gold.values()), sum(counts.predicted.values()))
        correct = sum(counts.true_positives.values())
        defined = (totals[1] > 0, totals[0] > 0, totals[0] + totals[1] > 0)
        scores = [
            f"{value:>10.2f}" if known else f"{'-':>10}"
            for value, known in zip(counts.micro(), defined)
        ]
        lines.append(f"{label:>10}{totals[0]:>10}{totals[1]:>10}{correct:>10}" + "".join(scores))
    return "\n".join(lines)


def error_analysis_report(
    gold: Sequence[AnnotatedSentence],
    predicted: Sequence[AnnotatedSentence],
    symmetric_relation_types: AbstractSet[str] = frozenset(),
) -> str:
    """
    The §4.3 tables as text: NER by entity length, then NER, RE and RE+ by sentence length.

    # Parameters

    gold : `Sequence[AnnotatedSentence]`
        The gold sentences.
    predicted : `Sequence[AnnotatedSentence]`
        The predicted sentences, aligned with `gold`.
    symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
        Relation types that match in either direction.
    """
    tables = [
        format_table(
            "NER by entity length (tokens), micro, %", ner_counts_by_entity_length(gold, predicted)
        )
    ]
    by_sentence = counts_by_sentence_length(gold, predicted, symmetric_relation_types)
    for task, title in _TASK_TITLES.items():
        tables.append(
            format_table(
                f"{title} by sentence length (tokens), micro, %",
                {label: counts.tasks()[task] for label, counts in by_sentence.items()},
            )
        )
    return "\n\n".join(tables)


def _by_entity_length(entities: Sequence[Sequence]) -> dict[str, set[Entity]]:
    groups: dict[str, set[Entity]] = defaultdict(set)
    for entity in entity_items(entities):
        groups[bucket_label(entity[1] - entity[0], ENTITY_LENGTH_BUCKETS)].add(entity)
    return groups
