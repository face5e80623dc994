"""
DyGIE's JSON lines (ACE05 as preprocessed by Luan et al. 2019 and Wang and Lu 2020): one document
per line, `{"doc_key", "sentences": [[token, ...], ...], "ner": [[[start, end, label], ...], ...],
"relations": [[[head_start, head_end, tail_start, tail_end, label], ...], ...]}`, one `ner` and one
`relations` list per sentence, token offsets counted over the whole document, `end` inclusive.
`relations` may be absent (no relations); other keys (`clusters`, `events`, ...) are ignored.

A relation names its arguments by span: each must be the span of an entity in the sentence's `ner`
(the first one, if two entities share the span). A gold entity given twice (same span and type) is
read once, with a warning naming the file, the line and the sentence; repeated relations are read
once.
"""

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from stsn_allennlp.core.json_lines import no_records_error, read_json_lines
from stsn_allennlp.core.json_values import expect, member
from stsn_allennlp.core.sentence import (
    DataFormatError,
    Entity,
    Relation,
    Sentence,
    deduplicate,
    describe_record,
)
from stsn_allennlp.core.spans import Span

NER_LAYOUT = (int, int, str)
RELATION_LAYOUT = (int, int, int, int, str)
EXPECTED = "DyGIE JSON lines, one document per line"


def read_dygie(path: str | Path) -> Iterator[Sentence]:
    """
    Reads and validates a DyGIE JSON-lines file, one `Sentence` per sentence of each document.
    Blank lines are allowed.

    # Parameters

    path : `Union[str, Path]`
        The file.

    # Raises

    `DataFormatError`, naming the file, the line, the document and the sentence, on malformed
    JSON (or bytes that are not UTF-8: the line and the byte offset), a missing or ill-typed field,
    `ner` or `relations` not aligned with `sentences`, an empty sentence, a span reversed or outside
    its sentence, or a relation argument that is no entity; naming the file, on a file without
    sentences (empty, blank, or only documents whose `sentences` are empty), once the file is read.
    """
    count = 0
    for line_number, document in read_json_lines(path):
        sentences = parse_dygie_document(document, str(path), line_number)
        count += len(sentences)
        yield from sentences
    if not count:
        raise no_records_error(str(path), EXPECTED)


def parse_dygie_document(document: Any, source: str, line: int) -> list[Sentence]:
    """
    Splits one decoded DyGIE document into validated sentences, with sentence-level offsets, `end`
    exclusive, and relations given by entity indices; repeated entities and relations are dropped
    with a warning (`stsn_allennlp.core.sentence.deduplicate`).

    # Parameters

    document : `Any`
        The decoded JSON value.
    source : `str`
        The file, for provenance and errors.
    line : `int`
        The document's line number (from 1).
    """
    metadata: dict[str, Any] = {"source": source, "record": line}
    try:
        expect(document, dict, "the document")
        metadata["doc_key"] = member(document, "doc_key", (str, int), "the document")
        sentences = member(document, "sentences", list, "the document")
        ner = _aligned(document, "ner", len(sentences))
        relations = (
            _aligned(document, "relations", len(sentences))
            if "relations" in document
            else [[] for _ in sentences]
        )
    except ValueError as error:
        where = describe_record(metadata) if "doc_key" in metadata else f"line {line}"
        raise DataFormatError(source, where, str(error)) from None
    parsed = []
    offset = 0
    for index, (tokens, entities, links) in enumerate(zip(sentences, ner, relations)):
        sentence_metadata = {**metadata, "sentence_index": index}
        try:
            sentence = _sentence(tokens, entities, links, offset, sentence_metadata)
        except ValueError as error:
            raise DataFormatError(source, describe_record(sentence_metadata), str(error)) from None
        parsed.append(deduplicate(sentence))
        offset += len(tokens)
    return parsed


def _aligned(document: dict[str, Any], key: str, num_sentences: int) -> list[Any]:
    value = member(document, key, list, "the document")
    if len(value) != num_sentences:
        raise ValueError(f"field {key!r} holds {len(value)} lists for {num_sentences} sentences")
    return value


def _sentence(
    tokens: Any, ner: Any, relations: Any, offset: int, metadata: dict[str, Any]
) -> Sentence:
    expect(tokens, list, "the sentence")
    for position, token in enumerate(tokens):
        expect(token, str, f"token {position}")
    last_token = offset + len(tokens) - 1
    entities: list[Entity] = []
    entity_of_span: dict[tuple[int, int], int] = {}
    for position, item in enumerate(expect(ner, list, "its 'ner' list")):
        start, end, label = _entry(item, NER_LAYOUT, f"ner[{position}]")
        if not offset <= start <= end <= last_token:
            raise ValueError(
                f"ner[{position}] = {item}: the span (end inclusive, document offsets) is "
                f"reversed or beyond the sentence's tokens {offset}..{last_token}"
            )
        entity_of_span.setdefault((start, end), len(entities))
        entities.append(Entity(*Span.from_inclusive(start - offset, end - offset), label))
    parsed_relations = []
    for position, item in enumerate(expect(relations, list, "its 'relations' list")):
        head_start, head_end, tail_start, tail_end, label = _entry(
            item, RELATION_LAYOUT, f"relations[{position}]"
        )
        arguments = {"head": (head_start, head_end), "tail": (tail_start, tail_end)}
        for role, span in arguments.items():
            if span not in entity_of_span:
                raise ValueError(
                    f"relations[{position}] = {item}: its {role} {list(span)} is no entity of the "
                    "sentence's 'ner'"
                )
        parsed_relations.append(
            Relation(entity_of_span[arguments["head"]], entity_of_span[arguments["tail"]], label)
        )
    sentence = Sentence(list(tokens), entities, parsed_relations, metadata)
    sentence.check()
    return sentence


def _entry(item: Any, layout: tuple[type, ...], what: str) -> list[Any]:
    expect(item, list, what)
    if len(item) != len(layout):
        raise ValueError(f"{what} = {item} must hold {len(layout)} values")
    return [
        expect(value, kind, f"{what}[{index}]")
        for index, (value, kind) in enumerate(zip(item, layout))
    ]


def sentences_to_dygie(sentences: Iterable[Sentence]) -> Iterator[dict[str, Any]]:
    """
    Groups sentences into DyGIE documents: consecutive sentences read from one DyGIE document form
    that document again; any other sentence becomes a document of its own, keyed by its `orig_id`
    (or, lacking one, by its file's name and record index).

    # Raises

    `DataFormatError` for a relation whose argument shares its span with an earlier entity of
    another type: DyGIE names arguments by span, so it would be read back as that other entity.
    """
    document: list[Sentence] = []
    for sentence in sentences:
        if document and not _same_document(document[-1], sentence):
            yield _document(document)
            document = []
        document.append(sentence)
    if document:
        yield _document(document)


def _same_document(first: Sentence, second: Sentence) -> bool:
    keys = ("source", "record", "doc_key")
    return "doc_key" in first.metadata and all(
        first.metadata.get(key) == second.metadata.get(key) for key in keys
    )


def _document(sentences: list[Sentence]) -> dict[str, Any]:
    metadata = sentences[0].metadata
    if "doc_key" in metadata:
        doc_key = metadata["doc_key"]
    elif metadata.get("orig_id") is not None:
        doc_key = metadata["orig_id"]
    else:
        doc_key = f"{Path(metadata.get('source', 'input')).stem}-{metadata.get('record')}"
    ner, relations = [], []
    offset = 0
    for sentence in sentences:
        spans = [(offset + e.start, offset + e.span.last) for e in sentence.entities]
        for position, relation in enumerate(sentence.relations):
            for role in ("head", "tail"):
                index = getattr(relation, role)
                first = spans.index(spans[index])
                if first != index:
                    raise DataFormatError(
                        str(metadata.get("source")),
                        describe_record(sentence.metadata),
                        f"relation {position}: its {role}, entity {index}, shares its span with "
                        f"entity {first}, so DyGIE's span-named relation would change it",
                    )
        ner.append([[*span, e.type] for span, e in zip(spans, sentence.entities)])
        relations.append([[*spans[r.head], *spans[r.tail], r.type] for r in sentence.relations])
        offset += len(sentence.tokens)
    return {
        "doc_key": doc_key,
        "sentences": [list(sentence.tokens) for sentence in sentences],
        "ner": ner,
        "relations": relations,
    }


def write_dygie(sentences: Iterable[Sentence], path: str | Path) -> int:
    """Writes sentences as DyGIE JSON lines (see `sentences_to_dygie`); returns the number of
    documents."""
    count = 0
    with open(path, "w", encoding="utf-8") as file:
        for document in sentences_to_dygie(sentences):
            file.write(json.dumps(document, ensure_ascii=False) + "\n")
            count += 1
    return count
