"""What the HTML view draws for a sentence: its entities and relations, each with a status.

Without gold annotation every mark is `predicted`. With it, matching is the metric's own
(`stsn_allennlp.core.scoring`): an entity is `correct` when a gold entity has its boundaries
and type (NER), a relation when a gold relation has its type and both entities' boundaries and
types (strict RE+; symmetric types in either direction). Other predictions are `spurious`; gold
items that no prediction matches are `missed`. Plain Python: nothing here knows AllenNLP.
"""

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from stsn_allennlp.core import Sentence
from stsn_allennlp.core.scoring import Entity, as_entity, entity_items, relation_items
from stsn_allennlp.visualize.inputs import ScoredSentence

PREDICTED, CORRECT, MISSED, SPURIOUS = "predicted", "correct", "missed", "spurious"
STATUSES = (PREDICTED, CORRECT, MISSED, SPURIOUS)
ERRORS = frozenset({MISSED, SPURIOUS})


class EntityMark(NamedTuple):
    """An entity to draw: token span (`end` exclusive), type, score (`None` for a missed gold
    entity, or a prediction without one) and status."""

    start: int
    end: int
    type: str
    score: float | None
    status: str


class ArcMark(NamedTuple):
    """A relation to draw, from `head` to `tail` (indices into the sentence's `EntityMark`s)."""

    head: int
    tail: int
    type: str
    score: float | None
    status: str


class SentenceMarks(NamedTuple):
    """One sentence of the view: its words, marks, and where it came from (e.g. `"line 3"`)."""

    tokens: list[str]
    entities: list[EntityMark]
    arcs: list[ArcMark]
    where: str

    def errors(self) -> int:
        """The missed and spurious entities and relations."""
        return sum(mark.status in ERRORS for mark in self.marks())

    def marks(self) -> list[EntityMark | ArcMark]:
        """The entity marks, then the arcs."""
        return [*self.entities, *self.arcs]


def sentence_marks(
    predicted: ScoredSentence,
    gold: Sentence | None = None,
    symmetric_relation_types: AbstractSet[str] = frozenset(),
) -> SentenceMarks:
    """
    The marks of one predicted sentence, matched against its gold sentence when given.

    # Parameters

    predicted : `ScoredSentence`
        The prediction, with its scores.
    gold : `Optional[Sentence]`, optional (default = `None`)
        The gold sentence with the same tokens; without it every mark is `predicted`.
    symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
        Relation types that match in either direction.
    """
    sentence = predicted.sentence
    gold_entities = entity_items(gold.entities) if gold else frozenset()
    gold_relations = (
        relation_items(gold.entities, gold.relations, symmetric_relation_types, strict=True)
        if gold
        else frozenset()
    )
    predicted_relations = relation_items(
        sentence.entities, sentence.relations, symmetric_relation_types, strict=True
    )

    def status_of(found: bool) -> str:
        return PREDICTED if gold is None else CORRECT if found else SPURIOUS

    marks: dict[Entity, EntityMark] = {}
    for key in map(as_entity, sentence.entities):
        marks.setdefault(
            key, EntityMark(*key, predicted.entity_scores.get(key), status_of(key in gold_entities))
        )
    for key in map(as_entity, gold.entities if gold else ()):
        marks.setdefault(key, EntityMark(*key, None, MISSED))
    index = {key: position for position, key in enumerate(marks)}

    arcs: list[ArcMark] = []
    for relation in sentence.relations:
        head, tail = (as_entity(sentence.entities[i]) for i in (relation.head, relation.tail))
        item = _relation_item(sentence, relation, symmetric_relation_types)
        arcs.append(
            ArcMark(
                index[head],
                index[tail],
                relation.type,
                predicted.relation_scores.get((head, tail, relation.type)),
                status_of(item in gold_relations),
            )
        )
    if gold is not None:
        arcs.extend(_missed_arcs(gold, predicted_relations, index, symmetric_relation_types))
    return SentenceMarks(list(sentence.tokens), list(marks.values()), arcs, predicted.where)


def _missed_arcs(
    gold: Sentence,
    predicted_relations: AbstractSet[tuple],
    index: dict[Entity, int],
    symmetric: AbstractSet[str],
) -> list[ArcMark]:
    """The gold relations that no prediction matches, between their entities' marks."""
    missed = []
    for relation in gold.relations:
        if _relation_item(gold, relation, symmetric) not in predicted_relations:
            head, tail = (as_entity(gold.entities[i]) for i in (relation.head, relation.tail))
            missed.append(ArcMark(index[head], index[tail], relation.type, None, MISSED))
    return missed


def _relation_item(sentence: Sentence, relation: Sequence, symmetric: AbstractSet[str]) -> tuple:
    """One relation in the metric's strict (RE+) form."""
    (item,) = relation_items(sentence.entities, [relation], symmetric, strict=True)
    return item
