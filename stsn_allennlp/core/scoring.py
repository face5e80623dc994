"""Counting and scoring for joint entity and relation extraction, free of AllenNLP.

Three tasks are scored, following SpERT's evaluator (lavis-nlp/spert, `spert/evaluator.py`) and
Taillé et al. (2020), who show why boundary and strict relation scores must never be mixed up:

- `ner`: a predicted entity is correct when its boundaries and its type match a gold entity.
- `re` (boundary): a predicted relation is correct when its type and the boundaries of both its
  entities match a gold relation; the entity types are ignored.
- `re_plus` (strict): as `re`, and the types of both entities must match too.

Per sentence, gold and predicted items are sets: a duplicated prediction (or a duplicated gold
annotation) counts once.

Symmetric relation types match in either direction. Policy: before matching, every relation of a
symmetric type, gold and predicted alike, is put into a canonical order, the argument that sorts
first by `(start, end, type)` becoming the head. The same canonical form serves `re` and `re_plus`.
(SpERT orders by start token only and keeps the given order on a tie; ours is that order made
total.)

All scores are percentages in [0, 100]. A division by zero gives 0. Micro scores pool the counts of
all types; macro scores are the unweighted means of the per-type precision, recall and F1 (as
scikit-learn's, and so SpERT's, `average="macro"`), over the types that occur in gold or
predictions.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import (
    Any,
    NamedTuple,
    Protocol,
)

from stsn_allennlp.core.sentence import Entity

StrictRelation = tuple[Entity, Entity, str]
"""A relation as RE+ matches it: `(head, tail, type)` with both entities spelled out."""


class AnnotatedSentence(Protocol):
    """
    What the functions over whole sentences need of one, gold or predicted: e.g.
    `stsn_allennlp.core.Sentence`, as `stsn_allennlp.core.read_spert` returns it.
    """

    @property
    def tokens(self) -> Sequence[str]:
        """The words."""

    @property
    def entities(self) -> Sequence[Sequence]:
        """`(start, end_exclusive, type)` per entity."""

    @property
    def relations(self) -> Sequence[Sequence]:
        """`(head_index, tail_index, type)` per relation, indices into `entities`."""


ScoredItem = tuple[Any, ...]
"""Anything matched as a whole; its last element is the type it is scored under."""


class PrecisionRecallF1(NamedTuple):
    """Precision, recall and F1, in percent."""

    precision: float
    recall: float
    f1: float


def precision_recall_f1(true_positives: int, predicted: int, gold: int) -> PrecisionRecallF1:
    """
    Scores from counts, in percent; a division by zero gives 0.

    # Parameters

    true_positives : `int`
        Predictions that match a gold item.
    predicted : `int`
        All (distinct) predictions.
    gold : `int`
        All (distinct) gold items.
    """
    precision = 100.0 * true_positives / predicted if predicted else 0.0
    recall = 100.0 * true_positives / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PrecisionRecallF1(precision, recall, f1)


@dataclass
class TypeCounts:
    """
    Per-type counts of one task: true positives, predictions and gold items.

    # Parameters

    true_positives : `Counter[str]`, optional
        Matched items per type.
    predicted : `Counter[str]`, optional
        Distinct predicted items per type.
    gold : `Counter[str]`, optional
        Distinct gold items per type.
    """

    true_positives: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)

    def add(self, gold: AbstractSet[ScoredItem], predicted: AbstractSet[ScoredItem]) -> None:
        """
        Counts one sentence's items of this task.

        # Parameters

        gold : `AbstractSet[ScoredItem]`
            The sentence's gold items; the last element of each is its type.
        predicted : `AbstractSet[ScoredItem]`
            The sentence's predicted items, in the same form.
        """
        self.gold.update(item[-1] for item in gold)
        self.predicted.update(item[-1] for item in predicted)
        self.true_positives.update(item[-1] for item in gold & predicted)

    def __iadd__(self, other: "TypeCounts") -> "TypeCounts":
        self.true_positives.update(other.true_positives)
        self.predicted.update(other.predicted)
        self.gold.update(other.gold)
        return self

    def types(self) -> list[str]:
        """The types that occur in gold or predictions, sorted."""
        return sorted(set(self.gold) | set(self.predicted))

    def per_type(self) -> dict[str, PrecisionRecallF1]:
        """Scores of each type that occurs in gold or predictions."""
        return {
            label: precision_recall_f1(
                self.true_positives[label], self.predicted[label], self.gold[label]
            )
            for label in self.types()
        }

    def micro(self) -> PrecisionRecallF1:
        """Scores of the counts pooled over all types."""
        return precision_recall_f1(
            sum(self.true_positives.values()),
            sum(self.predicted.values()),
            sum(self.gold.values()),
        )

    def macro(self) -> PrecisionRecallF1:
        """Unweighted means of the per-type scores; 0 when no type occurs."""
        per_type = list(self.per_type().values())
        if not per_type:
            return PrecisionRecallF1(0.0, 0.0, 0.0)
        return PrecisionRecallF1(*(sum(values) / len(per_type) for values in zip(*per_type)))


def as_entity(entity: Sequence) -> Entity:
    """
    An entity given as any sequence (a list read from JSON, say) as an `Entity` tuple.

    # Parameters

    entity : `Sequence`
        `(start, end_exclusive, type)`.
    """
    start, end, label = entity
    return Entity(int(start), int(end), str(label))


def entity_items(entities: Iterable[Sequence]) -> AbstractSet[Entity]:
    """
    The distinct entities of a sentence.

    # Parameters

    entities : `Iterable[Sequence]`
        `(start, end_exclusive, type)` per entity.
    """
    return {as_entity(entity) for entity in entities}


def relation_items(
    entities: Sequence[Sequence],
    relations: Iterable[Sequence],
    symmetric_relation_types: AbstractSet[str],
    strict: bool,
) -> AbstractSet[ScoredItem]:
    """
    The distinct relations of a sentence as `(head, tail, type)` with the entities spelled out.

    # Parameters

    entities : `Sequence[Sequence]`
        The sentence's entities, `(start, end_exclusive, type)`, which `relations` index.
    relations : `Iterable[Sequence]`
        `(head_index, tail_index, type)` per relation.
    symmetric_relation_types : `AbstractSet[str]`
        Relation types whose arguments are put into canonical order (see the module's docstring).
    strict : `bool`
        With `True` (RE+), head and tail are `(start, end, type)`; with `False` (RE),
        `(start, end)`.
    """
    items = set()
    for head_index, tail_index, relation_type in relations:
        label = str(relation_type)
        head = as_entity(entities[int(head_index)])
        tail = as_entity(entities[int(tail_index)])
        if label in symmetric_relation_types and tail < head:
            head, tail = tail, head
        items.add((head, tail, label) if strict else (head.span, tail.span, label))
    return items


@dataclass
class JointCounts:
    """
    The counts of the three tasks, `ner`, `re` (boundary) and `re_plus` (strict).

    # Parameters

    ner : `TypeCounts`, optional
        Entity counts, per entity type.
    re : `TypeCounts`, optional
        Boundary relation counts, per relation type.
    re_plus : `TypeCounts`, optional
        Strict relation counts, per relation type.
    """

    ner: TypeCounts = field(default_factory=TypeCounts)
    re: TypeCounts = field(default_factory=TypeCounts)
    re_plus: TypeCounts = field(default_factory=TypeCounts)

    def tasks(self) -> dict[str, TypeCounts]:
        """The counts by task name, which is also the prefix of the task's score keys."""
        return {"ner": self.ner, "re": self.re, "re_plus": self.re_plus}

    def add_sentence(
        self,
        gold_entities: Sequence[Sequence],
        gold_relations: Iterable[Sequence],
        predicted_entities: Sequence[Sequence],
        predicted_relations: Iterable[Sequence],
        symmetric_relation_types: AbstractSet[str] = frozenset(),
    ) -> None:
        """
        Counts one sentence.

        # Parameters

        gold_entities : `Sequence[Sequence]`
            `(start, end_exclusive, type)` per gold entity.
        gold_relations : `Iterable[Sequence]`
            `(head_index, tail_index, type)` per gold relation, indices into `gold_entities`.
        predicted_entities : `Sequence[Sequence]`
            `(start, end_exclusive, type)` per predicted entity.
        predicted_relations : `Iterable[Sequence]`
            `(head_index, tail_index, type)` per predicted relation, indices into
            `predicted_entities`.
        symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
            Relation types that match in either direction.
        """
        gold_relations, predicted_relations = list(gold_relations), list(predicted_relations)
        self.ner.add(entity_items(gold_entities), entity_items(predicted_entities))
        for strict, counts in ((False, self.re), (True, self.re_plus)):
            counts.add(
                relation_items(gold_entities, gold_relations, symmetric_relation_types, strict),
                relation_items(
                    predicted_entities, predicted_relations, symmetric_relation_types, strict
                ),
            )

    def __iadd__(self, other: "JointCounts") -> "JointCounts":
        for name, counts in self.tasks().items():
            counts += other.tasks()[name]
        return self


def count_sentences(
    gold: Sequence[AnnotatedSentence],
    predicted: Sequence[AnnotatedSentence],
    symmetric_relation_types: AbstractSet[str] = frozenset(),
) -> JointCounts:
    """
    The counts of aligned gold and predicted sentences.

    # Parameters

    gold : `Sequence[AnnotatedSentence]`
        The gold sentences.
    predicted : `Sequence[AnnotatedSentence]`
        The predicted sentences, one per gold sentence, in the same order.
    symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
        Relation types that match in either direction.
    """
    counts = JointCounts()
    for gold_sentence, predicted_sentence in zip(gold, predicted):
        counts.add_sentence(
            gold_sentence.entities,
            gold_sentence.relations,
            predicted_sentence.entities,
            predicted_sentence.relations,
            symmetric_relation_types,
        )
    return counts


def compute_scores(counts: JointCounts) -> dict[str, float]:
    """
    The flat dict of scores, in percent (0-100), a division by zero giving 0.

    For each task prefix `ner`, `re` (boundary) and `re_plus` (strict): the keys
    `{prefix}_{precision,recall,f1}_{micro,macro}`, then `{prefix}_{type}_{precision,recall,f1}` for
    each type (entity types for `ner`, relation types for `re` and `re_plus`) that occurs in gold or
    predictions.

    # Parameters

    counts : `JointCounts`
        The accumulated counts.
    """
    scores: dict[str, float] = {}
    for prefix, task in counts.tasks().items():
        for average, averaged in (("micro", task.micro()), ("macro", task.macro())):
            for measure, value in averaged._asdict().items():
                scores[f"{prefix}_{measure}_{average}"] = value
        for label, per_type in task.per_type().items():
            for measure, value in per_type._asdict().items():
                key = f"{prefix}_{label}_{measure}"
                if key in scores:
                    raise ValueError(
                        f"score key {key!r} is ambiguous: {prefix} type {label!r} clashes with "
                        "another type's key; rename one of the types"
                    )
                scores[key] = value
    return scores
