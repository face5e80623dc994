"""The in-memory form of one annotated sentence, shared by the parsers, the converter and the
readers.

Plain Python: nothing here knows AllenNLP.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from stsn_allennlp.core.spans import Span

logger = logging.getLogger(__name__)

TYPE_SEPARATOR = "/"
"""Joins the labels of two overlapping entities in an extended BIO tag: no type may contain it."""


class Entity(NamedTuple):
    """A typed token span: `start` inclusive, `end` exclusive (SpERT's convention)."""

    start: int
    end: int
    type: str

    @property
    def span(self) -> Span:
        """The entity's tokens, without its type."""
        return Span(self.start, self.end)


class Relation(NamedTuple):
    """A typed, directed relation between two entities, by their indices in `Sentence.entities`."""

    head: int
    tail: int
    type: str


class DataFormatError(ValueError):
    """
    Input that breaks its format. The message names the file and the record, so the user can fix it.

    # Parameters

    source : `str`
        The file (or another name of the input).
    record : `str`
        Where in the file, e.g. `"record 12"` or `"line 3 (doc_key 'x'), sentence 1"`.
    problem : `str`
        What is wrong.
    """

    def __init__(self, source: str, record: str, problem: str) -> None:
        super().__init__(f"{source}, {record}: {problem}")
        self.source = source
        self.record = record
        self.problem = problem


def describe_record(metadata: Mapping[str, Any]) -> str:
    """
    Names a record for error messages from its provenance metadata: a DyGIE sentence (which has
    `"doc_key"`) by line, document and sentence index, a SpERT sentence by its index in the list.
    """
    if "record" not in metadata:
        return "the sentence"
    record = metadata["record"]
    if "doc_key" in metadata:
        where = f"line {record} (doc_key {metadata['doc_key']!r})"
        if "sentence_index" in metadata:
            where += f", sentence {metadata['sentence_index']}"
        return where
    if "orig_id" in metadata:
        return f"record {record} (orig_id {metadata['orig_id']!r})"
    return f"record {record}"


@dataclass
class Sentence:
    """
    One sentence with its gold entities and relations.

    # Parameters

    tokens : `List[str]`
        The words.
    entities : `List[Entity]`
        Gold entities, end exclusive.
    relations : `List[Relation]`
        Gold relations, indexing into `entities`.
    metadata : `Dict[str, Any]`, optional
        Provenance: `"source"` (file), `"record"` (index in a SpERT list, or line of a DyGIE file),
        `"orig_id"` (SpERT) or `"doc_key"` and `"sentence_index"` (DyGIE).
    """

    tokens: list[str]
    entities: list[Entity]
    relations: list[Relation]
    metadata: dict[str, Any] = field(default_factory=dict)

    def check(self) -> None:
        """Raises `ValueError` naming the first inconsistency: no tokens, a span out of the
        sentence or empty, an ill-formed type, a relation pointing to a missing entity."""
        if not self.tokens:
            raise ValueError("the sentence has no tokens")
        for index, entity in enumerate(self.entities):
            if not 0 <= entity.start < entity.end <= len(self.tokens):
                raise ValueError(
                    f"entity {index} spans [{entity.start}, {entity.end}) (end exclusive), which "
                    f"is empty or beyond the sentence of {len(self.tokens)} tokens"
                )
            check_type_name(entity.type, f"entity {index}")
        for index, relation in enumerate(self.relations):
            for role in ("head", "tail"):
                target = getattr(relation, role)
                if not 0 <= target < len(self.entities):
                    raise ValueError(
                        f"relation {index} has {role} {target}, but the sentence holds "
                        f"{len(self.entities)} entities"
                    )
            check_type_name(relation.type, f"relation {index}", allow_separator=True)


def without_duplicates(sentence: Sentence) -> tuple[Sentence, list[int], int]:
    """
    The sentence with each gold entity (same span and type) and each relation (same head, tail and
    type) once: the first copy is kept, relations to a later copy point to the first.

    # Parameters

    sentence : `Sentence`
        A checked sentence.

    # Returns

    `Tuple[Sentence, List[int], int]`
        The sentence (`sentence` itself when nothing repeats), the indices of the dropped entities,
        and the number of dropped relations.
    """
    kept_index: dict[Entity, int] = {}
    new_index: list[int] = []
    dropped: list[int] = []
    for index, entity in enumerate(sentence.entities):
        if entity in kept_index:
            dropped.append(index)
        else:
            kept_index[entity] = len(kept_index)
        new_index.append(kept_index[entity])
    relations = [
        Relation(new_index[relation.head], new_index[relation.tail], relation.type)
        for relation in sentence.relations
    ]
    unique_relations = list(dict.fromkeys(relations))
    num_dropped_relations = len(relations) - len(unique_relations)
    if not dropped and not num_dropped_relations:
        return sentence, [], 0
    deduplicated = replace(sentence, entities=list(kept_index), relations=unique_relations)
    return deduplicated, dropped, num_dropped_relations


def deduplicate(sentence: Sentence) -> Sentence:
    """
    `without_duplicates`, with one warning naming the file, the record and what was dropped when
    something repeats. Both file formats read gold annotation through it.

    # Parameters

    sentence : `Sentence`
        A checked sentence, with `"source"` and `"record"` in its metadata.
    """
    result, dropped, num_dropped_relations = without_duplicates(sentence)
    if dropped or num_dropped_relations:
        logger.warning(
            "%s, %s: dropped %d gold entities that repeat an earlier one (same span and type: "
            "entities %s) and %d repeated relations; relations to a dropped copy now point to the "
            "kept one",
            sentence.metadata.get("source", "input"),
            describe_record(sentence.metadata),
            len(dropped),
            dropped,
            num_dropped_relations,
        )
    return result


def check_type_name(name: str, owner: str, allow_separator: bool = False) -> None:
    """Raises `ValueError` unless `name` is a non-empty string (without `TYPE_SEPARATOR`, for
    entity types, which become BIO tags)."""
    if not name:
        raise ValueError(f"{owner} has an empty type")
    if not allow_separator and TYPE_SEPARATOR in name:
        raise ValueError(
            f"{owner} has type {name!r}: entity types must not contain {TYPE_SEPARATOR!r}, "
            "the separator of extended BIO tags"
        )
