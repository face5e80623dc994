"""
BIO tagging with the extended scheme of STSN (Ji et al., §4.1) for two-fold overlapping entities.

Entities are ordered by *precedence*: earlier start first; on a tie the longer one; on a further tie
(the same span with two types) by type name. Each entity is tagged with plain BIO in that order, and
a token covered by two entities joins their labels with `"/"`, the preceding entity's first: ADE's
"Codeine intoxication" (Adverse-Effect) and "Codeine" (Drug) are tagged
`B-Adverse-Effect/B-Drug I-Adverse-Effect`.

Not every set of entities fits these tags, and an entity that does not fit is *untaggable*:

- a token covered by more than two entities (more than two-fold overlap);
- two entities of the same type that cross (`a.start < b.start < a.end < b.end`): their tags equal
  those of `a` containing `b`, so decoding could not tell them apart.

`overlap_policy` decides what happens to them: `"error"` raises `OverlapError`; `"drop"` leaves the
later entities in precedence order (the inner ones of a nest) out of the tags and logs how many.
Tags are an auxiliary signal of the model: the readers keep every entity in the span labels and the
gold metadata whatever the policy. Identical duplicate entities are tagged once.

Plain Python: nothing here knows AllenNLP.
"""

import logging
from collections.abc import Iterable, Sequence

from stsn_allennlp.core.sentence import TYPE_SEPARATOR, Entity, check_type_name
from stsn_allennlp.core.spans import crowded_token

logger = logging.getLogger(__name__)

OVERLAP_POLICIES = ("error", "drop")
BEGIN, INSIDE, OUTSIDE_TAG = "B", "I", "O"


class OverlapError(ValueError):
    """Entities that the extended BIO scheme cannot represent, under `overlap_policy="error"`."""


def check_overlap_policy(overlap_policy: str) -> None:
    """Raises `ValueError` unless `overlap_policy` is one of `OVERLAP_POLICIES`."""
    if overlap_policy not in OVERLAP_POLICIES:
        raise ValueError(
            f"overlap_policy must be one of {OVERLAP_POLICIES}, got {overlap_policy!r}"
        )


def precedence(entity: tuple[int, int, str]) -> tuple[int, int, str]:
    """Sort key of the scheme's *preceding entity* rule: earlier start, then longer, then type."""
    start, end, entity_type = entity
    return start, start - end, entity_type


def taggable_entities(
    entities: Iterable[tuple[int, int, str]], overlap_policy: str = "error"
) -> tuple[list[Entity], list[Entity]]:
    """
    Splits entities into those the extended BIO tags represent and those they cannot.

    # Parameters

    entities : `Iterable[Tuple[int, int, str]]`
        `(start, end_exclusive, type)`; identical duplicates count once.
    overlap_policy : `str`, optional (default = `"error"`)
        `"error"`: raise `OverlapError` on an untaggable entity (see the module's docstring).
        `"drop"`: keep entities greedily in precedence order, leaving out each that would not fit.

    # Returns

    `Tuple[List[Entity], List[Entity]]`
        The kept entities and the left-out ones, both in precedence order.
    """
    check_overlap_policy(overlap_policy)
    kept: list[Entity] = []
    dropped: list[Entity] = []
    for entity in sorted({Entity(*entity) for entity in entities}, key=precedence):
        conflict = _conflict(entity, kept)
        if conflict is None:
            kept.append(entity)
        elif overlap_policy == "drop":
            dropped.append(entity)
        else:
            raise OverlapError(
                f"entity {tuple(entity)} cannot be BIO-tagged: {conflict}. Use "
                "overlap_policy='drop' to leave such entities out of the tags (they stay in the "
                "span labels)"
            )
    return kept, dropped


def _conflict(entity: Entity, kept: Sequence[Entity]) -> str | None:
    """Why `entity` cannot join the already kept (preceding) entities, or `None`."""
    crowded = crowded_token(entity.span, [other.span for other in kept])
    if crowded is not None:
        return f"token {crowded} would be covered by more than two entities"
    for other in kept:
        if other.type == entity.type and other.span.crosses(entity.span):
            return (
                f"it crosses {tuple(other)} of the same type, which the tags cannot tell from "
                "nesting"
            )
    return None


def entities_to_bio(
    entities: Iterable[tuple[int, int, str]], num_tokens: int, overlap_policy: str = "error"
) -> list[str]:
    """
    Tags a sentence with (extended) BIO labels.

    # Parameters

    entities : `Iterable[Tuple[int, int, str]]`
        `(start, end_exclusive, type)`.
    num_tokens : `int`
        The sentence length.
    overlap_policy : `str`, optional (default = `"error"`)
        See `taggable_entities`; with `"drop"` a warning gives the number of entities left out.

    # Returns

    `List[str]`
        One tag per token: `"O"`, `"B-Type"`, `"I-Type"` or two of these joined with `"/"`.
    """
    entities = list(entities)
    for entity in entities:
        start, end, entity_type = entity
        if not 0 <= start < end <= num_tokens:
            raise ValueError(f"entity {tuple(entity)} is empty or beyond {num_tokens} tokens")
        check_type_name(entity_type, f"entity {tuple(entity)}")
    kept, dropped = taggable_entities(entities, overlap_policy)
    if dropped:
        logger.warning("%d entities left out of the BIO tags: %s", len(dropped), dropped)
    labels: list[list[str]] = [[] for _ in range(num_tokens)]
    for start, end, entity_type in kept:
        labels[start].append(f"{BEGIN}-{entity_type}")
        for token in range(start + 1, end):
            labels[token].append(f"{INSIDE}-{entity_type}")
    return [TYPE_SEPARATOR.join(token_labels) or OUTSIDE_TAG for token_labels in labels]


def bio_to_entities(tags: Sequence[str]) -> list[Entity]:
    """
    Decodes (extended) BIO tags into entities: the inverse of `entities_to_bio` on taggable
    entities.

    Robust to ill-formed predictions: an `I-` label that continues no open entity of its type starts
    a new entity, and an `"O"` inside a joined tag is ignored. An `I-` label continues the first
    open entity of its type in precedence order, which is the tagging rule's own order.

    # Parameters

    tags : `Sequence[str]`
        One tag per token.

    # Returns

    `List[Entity]`
        `(start, end_exclusive, type)` in precedence order.
    """
    entities: list[Entity] = []
    open_entities: list[tuple[int, str]] = []  # (start, type), in precedence order
    for position, tag in enumerate([*list(tags), OUTSIDE_TAG]):
        continued: list[int] = []  # indices into open_entities
        started: list[tuple[int, str]] = []
        for label in tag.split(TYPE_SEPARATOR):
            if label == OUTSIDE_TAG:
                continue
            prefix, entity_type = _split_label(label, tag)
            candidates = [
                index
                for index, (_, open_type) in enumerate(open_entities)
                if open_type == entity_type and index not in continued
            ]
            if prefix == INSIDE and candidates:
                continued.append(candidates[0])
            else:
                started.append((position, entity_type))
        for index, (start, entity_type) in enumerate(open_entities):
            if index not in continued:
                entities.append(Entity(start, position, entity_type))
        open_entities = [open_entities[index] for index in sorted(continued)] + started
    return sorted(set(entities), key=precedence)


def _split_label(label: str, tag: str) -> tuple[str, str]:
    prefix, _, entity_type = label.partition("-")
    if prefix not in (BEGIN, INSIDE) or not entity_type:
        raise ValueError(f"ill-formed BIO label {label!r} in tag {tag!r}")
    return prefix, entity_type
