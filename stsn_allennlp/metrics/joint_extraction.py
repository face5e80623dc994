"""The registered AllenNLP metric: a thin wrapper around `scoring` and `distributed`."""

from collections.abc import Iterable, Sequence

from allennlp.training.metrics import Metric

from stsn_allennlp.core.scoring import JointCounts, compute_scores
from stsn_allennlp.metrics.distributed import sum_across_workers

# The scores AllenNLP's progress bar shows, in this order: the F1 scores the paper reports (micro F1
# of NER, RE and RE+; macro F1 of NER and RE+, ADE's headline) and the precision and recall of the
# model-selection metric, RE+ micro F1. With the loss and the batch loss that AllenNLP adds, the
# bar holds nine values.
PROGRESS_BAR_SCORES = (
    "ner_f1_micro",
    "re_f1_micro",
    "re_plus_f1_micro",
    "ner_f1_macro",
    "re_plus_f1_macro",
    "re_plus_precision_micro",
    "re_plus_recall_micro",
)


def named_for_allennlp(scores: dict[str, float]) -> dict[str, float]:
    """
    `compute_scores`'s dict as AllenNLP reports it: the `PROGRESS_BAR_SCORES` first, under their
    names, then every other score with a leading `_` (e.g. `_ner_Peop_f1`, `_re_precision_macro`),
    which AllenNLP leaves out of the progress bar while `metrics.json`, the per-epoch metric files,
    the logs and `allennlp evaluate` keep it (in `metrics.json` as e.g.
    `best_validation__ner_Peop_f1`).

    # Parameters

    scores : `Dict[str, float]`
        The scores of `compute_scores`.
    """
    named = {key: scores[key] for key in PROGRESS_BAR_SCORES if key in scores}
    named.update((f"_{key}", value) for key, value in scores.items() if key not in named)
    return named


@Metric.register("joint_extraction")
class JointExtractionMetric(Metric):
    """
    NER, boundary RE and strict RE+ precision, recall and F1, micro, macro and per type, in percent.

    Matching, duplicate handling and the symmetric-relation policy are those of
    `stsn_allennlp.core.scoring` (see `compute_scores`), and so are the dict's keys, except that
    all but the headline scores of the progress bar (`PROGRESS_BAR_SCORES`: e.g. `ner_f1_micro`,
    `re_plus_f1_micro`) start with `_` (e.g. `_re_f1_macro`, `_ner_Peop_f1`,
    `_re_plus_Work_For_recall`; see `named_for_allennlp`). Scores are percentages (0-100), as SpERT
    reports them. Under distributed training the counts of all workers are summed before
    any division, so every worker reports the scores of the whole data.

    Registered as a `Metric` with name "joint_extraction".

    # Parameters

    symmetric_relation_types : `Iterable[str]`, optional (default = `None`)
        Relation types that match in either direction (e.g. ACE05's `PER-SOC`).
    """

    supports_distributed = True

    def __init__(self, symmetric_relation_types: Iterable[str] | None = None) -> None:
        self._symmetric_relation_types = frozenset(symmetric_relation_types or ())
        self._counts = JointCounts()

    def __call__(  # type: ignore[override]
        self,
        predicted_entities: Sequence[Sequence[Sequence]],
        predicted_relations: Sequence[Sequence[Sequence]],
        gold_entities: Sequence[Sequence[Sequence]],
        gold_relations: Sequence[Sequence[Sequence]],
    ) -> None:
        """
        Counts a batch of sentences.

        # Parameters

        predicted_entities : `Sequence[Sequence[Sequence]]`
            Per sentence, `(start, end_exclusive, type)` per predicted entity.
        predicted_relations : `Sequence[Sequence[Sequence]]`
            Per sentence, `(head_index, tail_index, type)` per predicted relation, indices into that
            sentence's predicted entities.
        gold_entities : `Sequence[Sequence[Sequence]]`
            Per sentence, the gold entities (metadata `"gold_entities"`).
        gold_relations : `Sequence[Sequence[Sequence]]`
            Per sentence, the gold relations (metadata `"gold_relations"`), indices into that
            sentence's gold entities.
        """
        batch = (predicted_entities, predicted_relations, gold_entities, gold_relations)
        if len({len(sentences) for sentences in batch}) != 1:
            raise ValueError(
                "predicted_entities, predicted_relations, gold_entities and gold_relations must "
                f"hold one entry per sentence; got lengths {[len(s) for s in batch]}"
            )
        for pred_entities, pred_relations, entities, relations in zip(*batch):
            self._counts.add_sentence(
                entities, relations, pred_entities, pred_relations, self._symmetric_relation_types
            )

    def get_metric(self, reset: bool = False) -> dict[str, float]:
        """
        The flat dict of scores over everything counted since the last reset, on all workers,
        named for AllenNLP (`named_for_allennlp`).

        # Parameters

        reset : `bool`, optional (default = `False`)
            Whether to reset the counts afterwards.
        """
        scores = named_for_allennlp(compute_scores(sum_across_workers(self._counts)))
        if reset:
            self.reset()
        return scores

    def reset(self) -> None:
        self._counts = JointCounts()
