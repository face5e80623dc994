"""Errors by kind: what is wrong with each false entity and each false relation.

Per sentence, gold and predicted items are compared with the set semantics and the
symmetric-relation canonicalisation of `stsn_allennlp.core.scoring` (duplicates count once; a
relation of a symmetric type is put into canonical order before matching), so that the kinds of
each group partition the false positives or false negatives that `scoring` counts: the NER ones
for entities, the RE+ (strict) ones for relations. Spans are token offsets `[start, end)`; two
spans overlap when they share a token. "Exact" means boundaries and type; "a gold span" means the
boundaries of some gold entity, whatever its type.

Each item gets the first kind, in the order listed, whose condition holds.

Entity false positives (a predicted entity that is not a gold entity):

1. `type`: its span is a gold span (so the gold entity there has another type).
2. `boundary`: it overlaps a gold entity (necessarily with other boundaries).
3. `spurious`: it overlaps no gold entity.

Entity false negatives (a gold entity not predicted exactly) are all `missed`, split by the false
positive predictions around them:

1. `same span, other type`: a false positive has its span.
2. `overlapping, other span`: a false positive overlaps it.
3. `no false positive overlaps it`.

Overlapping entities (not errors; counted apart): the pairs of distinct entities of a sentence that
overlap, and the entities in at least one such pair, predicted and, for comparison, gold; and the
gold pairs found, both of whose entities are predicted exactly (what extended BIO tags are for).

Relation false positives (a predicted relation `(head, tail, type)` not matched under RE+); `gold`
below holds the sentence's gold relations, canonicalised:

1. `reversed`: `(tail, head, type)` is in gold (for a symmetric type never, since that is a match).
2. `wrong type`: `(head, tail, other)` is in gold for another type `other` (for a symmetric `other`,
   in either direction).
3. `reversed, wrong type`: `(tail, head, other)` is in gold for another type `other` (without
   this kind, such a relation would fall between 2 and 4).
4. `no gold relation`: head and tail are both exact gold entities (and, after 1-3, gold holds no
   relation between them in either direction).
5. `argument not gold entity`: the span of the head or the tail is no gold span. A sub-count,
   `an unmatched argument overlaps gold`, tells how many of these have such an argument that
   overlaps a gold entity (a boundary error rather than an invented entity).
6. `entity type wrong`: (both spans are gold spans, after 5, and an argument has the wrong type,
   after 4) the relation matches under RE (boundary).
7. `entity type and relation wrong`: the rest: both spans are gold spans, an argument's type is
   wrong, and the relation does not match even under RE (without this kind, such a relation would
   have none).

Kinds 1-3 imply that both arguments are exact gold entities, since gold relations are between gold
entities; with 4 they take every false positive between two exact gold entities, so 5-7 have an
argument that is not one, which 5 takes when its span is no gold span and 6-7 (split by the RE
match) when its span is one but its type is not. Hence the seven kinds partition the RE+ false
positives.

Relation false negatives (a gold relation `(head, tail, type)` not predicted under RE+):

1. `argument entity missed`: the head or the tail is not a predicted entity (exactly, with type).
2. `entities found, relation missed`: both are; split, with `predicted` the sentence's
   predicted relations, canonicalised, into `predicted reversed` (`(tail, head, type)` in
   `predicted`), `predicted with another type` (`(head, tail, other)`), `predicted reversed, another
   type` (`(tail, head, other)`) and `not predicted` (none of them), checked in that order.

The text tables show each kind's count and its share (%) of its group's total.
"""

from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import combinations

from stsn_allennlp.core.scoring import (
    AnnotatedSentence,
    Entity,
    ScoredItem,
    StrictRelation,
    entity_items,
    relation_items,
)

# Key (in `ErrorKindCounts.as_dict`) and label (in the tables) of each kind, in the order checked.
ENTITY_FALSE_POSITIVE_KINDS = {"type": "type", "boundary": "boundary", "spurious": "spurious"}
ENTITY_MISSED_KINDS = {
    "missed_same_span_other_type": "same span, other type",
    "missed_overlapping_other_span": "overlapping, other span",
    "missed_no_false_positive_overlaps": "no false positive overlaps it",
}
RELATION_FALSE_POSITIVE_KINDS = {
    "reversed": "reversed",
    "wrong_type": "wrong type",
    "reversed_wrong_type": "reversed, wrong type",
    "no_gold_relation": "no gold relation",
    "argument_not_gold_entity": "argument not gold entity",
    "entity_type_wrong": "entity type wrong",
    "entity_type_and_relation_wrong": "entity type and relation wrong",
}
ARGUMENT_OVERLAPS_GOLD = "argument_not_gold_entity_overlaps_gold"
"""The sub-count of `argument_not_gold_entity` whose unmatched argument overlaps a gold entity."""
RELATION_MISSED_KINDS = {
    "argument_entity_missed": "argument entity missed",
    "entities_found_relation_missed": "entities found, relation missed",
}
RELATION_FOUND_MISSED_KINDS = {
    "predicted_reversed": "predicted reversed",
    "predicted_other_type": "predicted with another type",
    "predicted_reversed_other_type": "predicted reversed, another type",
    "not_predicted": "not predicted",
}
"""The split of `entities_found_relation_missed`."""

# How the other side relates a relation's arguments (`_direction_kind`), as a kind.
_FALSE_POSITIVE_BY_DIRECTION = {
    "reversed": "reversed",
    "other_type": "wrong_type",
    "reversed_other_type": "reversed_wrong_type",
}
_MISSED_BY_DIRECTION = {
    "reversed": "predicted_reversed",
    "other_type": "predicted_other_type",
    "reversed_other_type": "predicted_reversed_other_type",
    None: "not_predicted",
}


@dataclass
class ErrorKindCounts:
    """
    The counts of each error kind (see the module's docstring), summed over sentences.

    # Parameters

    entity_false_positives : `Counter[str]`, optional
        By the keys of `ENTITY_FALSE_POSITIVE_KINDS`.
    entity_false_negatives : `Counter[str]`, optional
        By the keys of `ENTITY_MISSED_KINDS`.
    relation_false_positives : `Counter[str]`, optional
        By the keys of `RELATION_FALSE_POSITIVE_KINDS`, plus the sub-count
        `ARGUMENT_OVERLAPS_GOLD`.
    relation_false_negatives : `Counter[str]`, optional
        By the keys of `RELATION_MISSED_KINDS` and `RELATION_FOUND_MISSED_KINDS` (the split of
        `entities_found_relation_missed`).
    overlaps : `Counter[str]`, optional
        `{predicted,gold}_pairs` (overlapping pairs), `{predicted,gold}_in_overlaps` (entities in at
        least one), `{predicted,gold}_entities` (all distinct entities) and `gold_pairs_found`
        (gold overlapping pairs whose two entities are both predicted exactly).
    """

    entity_false_positives: Counter[str] = field(default_factory=Counter)
    entity_false_negatives: Counter[str] = field(default_factory=Counter)
    relation_false_positives: Counter[str] = field(default_factory=Counter)
    relation_false_negatives: Counter[str] = field(default_factory=Counter)
    overlaps: Counter[str] = field(default_factory=Counter)

    def add_sentence(
        self,
        gold_entities: Sequence[Sequence],
        gold_relations: Sequence[Sequence],
        predicted_entities: Sequence[Sequence],
        predicted_relations: Sequence[Sequence],
        symmetric_relation_types: AbstractSet[str] = frozenset(),
    ) -> None:
        """
        Counts the errors of one sentence.

        # Parameters

        gold_entities : `Sequence[Sequence]`
            `(start, end_exclusive, type)` per gold entity.
        gold_relations : `Sequence[Sequence]`
            `(head_index, tail_index, type)` per gold relation, indices into `gold_entities`.
        predicted_entities : `Sequence[Sequence]`
            `(start, end_exclusive, type)` per predicted entity.
        predicted_relations : `Sequence[Sequence]`
            `(head_index, tail_index, type)` per predicted relation, indices into
            `predicted_entities`.
        symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
            Relation types that match in either direction.
        """
        gold_set, predicted_set = entity_items(gold_entities), entity_items(predicted_entities)
        false_positives = predicted_set - gold_set
        for entity in false_positives:
            self.entity_false_positives[entity_false_positive_kind(entity, gold_set)] += 1
        for entity in gold_set - predicted_set:
            self.entity_false_negatives[entity_missed_kind(entity, false_positives)] += 1
        for name, entities in (("predicted", predicted_set), ("gold", gold_set)):
            pairs = overlapping_pairs(entities)
            self.overlaps[f"{name}_pairs"] += len(pairs)
            self.overlaps[f"{name}_in_overlaps"] += len(
                {entity for pair in pairs for entity in pair}
            )
            self.overlaps[f"{name}_entities"] += len(entities)
        self.overlaps["gold_pairs_found"] += sum(
            first in predicted_set and second in predicted_set
            for first, second in overlapping_pairs(gold_set)
        )

        symmetric = symmetric_relation_types
        gold_strict = relation_items(gold_entities, gold_relations, symmetric, strict=True)
        gold_boundary = relation_items(gold_entities, gold_relations, symmetric, strict=False)
        predicted_strict = relation_items(
            predicted_entities, predicted_relations, symmetric, strict=True
        )
        for relation in predicted_strict - gold_strict:
            kind, overlaps_gold = relation_false_positive_kind(
                relation, gold_set, gold_strict, gold_boundary, symmetric
            )
            self.relation_false_positives[kind] += 1
            self.relation_false_positives[ARGUMENT_OVERLAPS_GOLD] += overlaps_gold
        for relation in gold_strict - predicted_strict:
            kind, split = relation_missed_kind(relation, predicted_set, predicted_strict, symmetric)
            self.relation_false_negatives[kind] += 1
            if split is not None:
                self.relation_false_negatives[split] += 1

    def as_dict(self) -> dict[str, dict[str, int]]:
        """
        The counts as plain dicts (for JSON), every kind present, each group with its `total`:
        `entity_false_positives`, `entity_false_negatives`, `overlapping_entities`,
        `relation_false_positives` and `relation_false_negatives`.
        """
        entity_fp = _group(self.entity_false_positives, ENTITY_FALSE_POSITIVE_KINDS)
        missed = _group(self.entity_false_negatives, ENTITY_MISSED_KINDS)
        total = missed.pop("total")
        entity_fn = {"total": total, "missed": total, **missed}
        relation_fp = _group(self.relation_false_positives, RELATION_FALSE_POSITIVE_KINDS)
        relation_fp[ARGUMENT_OVERLAPS_GOLD] = self.relation_false_positives[ARGUMENT_OVERLAPS_GOLD]
        relation_fn = _group(self.relation_false_negatives, RELATION_MISSED_KINDS)
        relation_fn.update(
            (key, self.relation_false_negatives[key]) for key in RELATION_FOUND_MISSED_KINDS
        )
        overlaps = {
            f"{name}_{what}": self.overlaps[f"{name}_{what}"]
            for name in ("predicted", "gold")
            for what in ("pairs", "in_overlaps", "entities")
        }
        overlaps["gold_pairs_found"] = self.overlaps["gold_pairs_found"]
        return {
            "entity_false_positives": entity_fp,
            "entity_false_negatives": entity_fn,
            "overlapping_entities": overlaps,
            "relation_false_positives": relation_fp,
            "relation_false_negatives": relation_fn,
        }


def overlapping_pairs(entities: AbstractSet[Entity]) -> list[tuple[Entity, Entity]]:
    """
    The pairs of distinct entities that overlap, in sorted order.

    # Parameters

    entities : `AbstractSet[Entity]`
        One sentence's distinct entities.
    """
    return [
        (first, second)
        for first, second in combinations(sorted(entities), 2)
        if first.span.overlaps(second.span)
    ]


def entity_false_positive_kind(entity: Entity, gold_entities: AbstractSet[Entity]) -> str:
    """
    The kind (a key of `ENTITY_FALSE_POSITIVE_KINDS`) of a predicted entity not in gold.

    # Parameters

    entity : `Entity`
        The false positive.
    gold_entities : `AbstractSet[Entity]`
        The sentence's gold entities.
    """
    if any(gold.span == entity.span for gold in gold_entities):
        return "type"
    if any(gold.span.overlaps(entity.span) for gold in gold_entities):
        return "boundary"
    return "spurious"


def entity_missed_kind(entity: Entity, false_positives: AbstractSet[Entity]) -> str:
    """
    The kind (a key of `ENTITY_MISSED_KINDS`) of a gold entity not predicted.

    # Parameters

    entity : `Entity`
        The false negative.
    false_positives : `AbstractSet[Entity]`
        The sentence's predicted entities that are not gold entities.
    """
    if any(predicted.span == entity.span for predicted in false_positives):
        return "missed_same_span_other_type"
    if any(predicted.span.overlaps(entity.span) for predicted in false_positives):
        return "missed_overlapping_other_span"
    return "missed_no_false_positive_overlaps"


def relation_false_positive_kind(
    relation: StrictRelation,
    gold_entities: AbstractSet[Entity],
    gold_strict: AbstractSet[ScoredItem],
    gold_boundary: AbstractSet[ScoredItem],
    symmetric_relation_types: AbstractSet[str] = frozenset(),
) -> tuple[str, bool]:
    """
    The kind (a key of `RELATION_FALSE_POSITIVE_KINDS`) of a predicted relation not matched under
    RE+, and whether it falls into the sub-count `ARGUMENT_OVERLAPS_GOLD`.

    # Parameters

    relation : `StrictRelation`
        The false positive, canonicalised as `scoring.relation_items(..., strict=True)` gives it.
    gold_entities : `AbstractSet[Entity]`
        The sentence's gold entities.
    gold_strict : `AbstractSet[ScoredItem]`
        The sentence's gold relations, `relation_items(..., strict=True)`.
    gold_boundary : `AbstractSet[ScoredItem]`
        The sentence's gold relations, `relation_items(..., strict=False)`.
    symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
        Relation types that match in either direction.
    """
    head, tail, label = relation
    direction = _direction_kind(relation, gold_strict, symmetric_relation_types)
    if direction is not None:
        return _FALSE_POSITIVE_BY_DIRECTION[direction], False
    if head in gold_entities and tail in gold_entities:
        return "no_gold_relation", False
    gold_spans = {gold.span for gold in gold_entities}
    unmatched = [argument for argument in (head, tail) if argument.span not in gold_spans]
    if unmatched:
        overlaps = any(a.span.overlaps(gold.span) for a in unmatched for gold in gold_entities)
        return "argument_not_gold_entity", overlaps
    if (head.span, tail.span, label) in gold_boundary:
        return "entity_type_wrong", False
    return "entity_type_and_relation_wrong", False


def relation_missed_kind(
    relation: StrictRelation,
    predicted_entities: AbstractSet[Entity],
    predicted_strict: AbstractSet[ScoredItem],
    symmetric_relation_types: AbstractSet[str] = frozenset(),
) -> tuple[str, str | None]:
    """
    The kind (a key of `RELATION_MISSED_KINDS`) of a gold relation not predicted under RE+, and
    for `entities_found_relation_missed` its split (a key of `RELATION_FOUND_MISSED_KINDS`),
    otherwise `None`.

    # Parameters

    relation : `StrictRelation`
        The false negative, canonicalised as `scoring.relation_items(..., strict=True)` gives it.
    predicted_entities : `AbstractSet[Entity]`
        The sentence's predicted entities.
    predicted_strict : `AbstractSet[ScoredItem]`
        The sentence's predicted relations, `relation_items(..., strict=True)`.
    symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
        Relation types that match in either direction.
    """
    head, tail, _ = relation
    if head not in predicted_entities or tail not in predicted_entities:
        return "argument_entity_missed", None
    direction = _direction_kind(relation, predicted_strict, symmetric_relation_types)
    return "entities_found_relation_missed", _MISSED_BY_DIRECTION[direction]


def count_error_kinds(
    gold: Sequence[AnnotatedSentence],
    predicted: Sequence[AnnotatedSentence],
    symmetric_relation_types: AbstractSet[str] = frozenset(),
) -> ErrorKindCounts:
    """
    The error kinds of aligned gold and predicted sentences.

    # Parameters

    gold : `Sequence[AnnotatedSentence]`
        The gold sentences.
    predicted : `Sequence[AnnotatedSentence]`
        The predicted sentences, one per gold sentence, in the same order.
    symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
        Relation types that match in either direction.
    """
    counts = ErrorKindCounts()
    for gold_sentence, predicted_sentence in zip(gold, predicted):
        counts.add_sentence(
            gold_sentence.entities,
            list(gold_sentence.relations),
            predicted_sentence.entities,
            list(predicted_sentence.relations),
            symmetric_relation_types,
        )
    return counts


def format_count_table(title: str, rows: Sequence[tuple[str, int, float | None]]) -> str:
    """
    A text table of counts and shares, one row per kind.

    # Parameters

    title : `str`
        The table's first line.
    rows : `Sequence[Tuple[str, int, Optional[float]]]`
        `(label, count, share in percent)` in display order; a share of `None` shows as `-`.
    """
    width = max([len("kind")] + [len(label) for label, _, _ in rows]) + 2
    lines = [title, f"{'kind':<{width}}{'count':>10}{'%':>10}"]
    for label, count, share in rows:
        shown = "-" if share is None else f"{share:.2f}"
        lines.append(f"{label:<{width}}{count:>10}{shown:>10}")
    return "\n".join(lines)


def error_kinds_report(
    gold: Sequence[AnnotatedSentence],
    predicted: Sequence[AnnotatedSentence],
    symmetric_relation_types: AbstractSet[str] = frozenset(),
) -> str:
    """
    The error kinds as text tables: entity false positives, entity false negatives, overlapping
    entities, relation false positives and relation false negatives (RE+). Sub-counts are indented;
    every share is of its table's total (overlaps: of all predicted, or gold, entities).

    # Parameters

    gold : `Sequence[AnnotatedSentence]`
        The gold sentences.
    predicted : `Sequence[AnnotatedSentence]`
        The predicted sentences, aligned with `gold`.
    symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
        Relation types that match in either direction.
    """
    counts = count_error_kinds(gold, predicted, symmetric_relation_types).as_dict()

    def rows(
        group: str, labels: Sequence[tuple[str, str]], total_row: bool = True
    ) -> list[tuple[str, int, float]]:
        total = counts[group]["total"]
        return [
            (label, counts[group][key], _share(counts[group][key], total))
            for key, label in [*labels, *([("total", "total")] if total_row else [])]
        ]

    def indented(kinds: dict[str, str]) -> list[tuple[str, str]]:
        return [(key, f"  {label}") for key, label in kinds.items()]

    overlaps = counts["overlapping_entities"]
    overlap_rows: list[tuple[str, int, float | None]] = []
    for name in ("predicted", "gold"):
        entities = overlaps[f"{name}_entities"]
        overlap_rows += [
            (f"{name} pairs overlapping", overlaps[f"{name}_pairs"], None),
            (
                f"{name} entities in an overlap",
                overlaps[f"{name}_in_overlaps"],
                _share(overlaps[f"{name}_in_overlaps"], entities),
            ),
        ]
    found, gold_pairs = overlaps["gold_pairs_found"], overlaps["gold_pairs"]
    overlap_rows.append(
        (
            "  gold pairs found (both exact; % of gold pairs)",
            found,
            _share(found, gold_pairs) if gold_pairs else None,
        )
    )
    relation_fp_labels: list[tuple[str, str]] = []
    for key, label in RELATION_FALSE_POSITIVE_KINDS.items():
        relation_fp_labels.append((key, label))
        if key == "argument_not_gold_entity":
            relation_fp_labels.append(
                (ARGUMENT_OVERLAPS_GOLD, "  an unmatched argument overlaps gold")
            )
    relation_fn_labels = [
        ("argument_entity_missed", "argument entity missed"),
        ("entities_found_relation_missed", "entities found, relation missed"),
        *indented(RELATION_FOUND_MISSED_KINDS),
    ]
    tables = [
        format_count_table(
            "NER false positives by kind, % of all",
            rows("entity_false_positives", list(ENTITY_FALSE_POSITIVE_KINDS.items())),
        ),
        format_count_table(
            "NER false negatives by kind, % of all",
            rows(
                "entity_false_negatives",
                [("missed", "missed"), *indented(ENTITY_MISSED_KINDS)],
                total_row=False,  # `missed` is the total
            ),
        ),
        format_count_table(
            "Overlapping entities, % of all predicted (gold) entities", overlap_rows
        ),
        format_count_table(
            "RE+ (strict) false positives by kind, % of all",
            rows("relation_false_positives", relation_fp_labels),
        ),
        format_count_table(
            "RE+ (strict) false negatives by kind, % of all",
            rows("relation_false_negatives", relation_fn_labels),
        ),
    ]
    return "\n\n".join(tables)


def _direction_kind(
    relation: StrictRelation,
    others: AbstractSet[ScoredItem],
    symmetric_relation_types: AbstractSet[str],
) -> str | None:
    """
    How `others` (canonical strict relation items) relate the arguments of `relation` when they do
    not hold it: `reversed` (same type, arguments swapped), `other_type` (same direction, another
    type), `reversed_other_type`, checked in that order, or `None`.
    """
    head, tail, label = relation
    labels = {other[2] for other in others if {other[0], other[1]} == {head, tail}} - {label}
    if _canonical(tail, head, label, symmetric_relation_types) in others:
        return "reversed"
    if any(_canonical(head, tail, other, symmetric_relation_types) in others for other in labels):
        return "other_type"
    if any(_canonical(tail, head, other, symmetric_relation_types) in others for other in labels):
        return "reversed_other_type"
    return None


def _canonical(
    head: Entity, tail: Entity, label: str, symmetric_relation_types: AbstractSet[str]
) -> ScoredItem:
    """The strict item of one relation, canonicalised as `scoring.relation_items` does."""
    (item,) = relation_items([head, tail], [(0, 1, label)], symmetric_relation_types, strict=True)
    return item


def _group(counts: Counter, kinds: dict[str, str]) -> dict[str, int]:
    group = {key: counts[key] for key in kinds}
    return {"total": sum(group.values()), **group}


def _share(count: int, total: int) -> float:
    return 100.0 * count / total if total else 0.0
