"""
SpERT's JSON format (CoNLL04, ADE, SciERC) and its JSON-lines form. A SpERT JSON file is a JSON
list of sentences
`{"tokens": [...], "entities": [{"type", "start", "end"}], "relations": [{"type", "head", "tail"}],
"orig_id"}`, `end` exclusive, `head` and `tail` indices into `entities`. `orig_id` is optional;
other keys are ignored. SpERT JSON lines hold one such record per line, as `allennlp predict
--predictor stsn` writes them. A gold entity given twice (same span and type) is read once, with a warning
naming the file and the record; relations to the copy point to the first, and repeated relations
are read once.
"""

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stsn_allennlp.core.json_lines import no_records_error, read_json_lines, read_utf8
from stsn_allennlp.core.json_values import expect, member
from stsn_allennlp.core.sentence import (
    DataFormatError,
    Entity,
    Relation,
    Sentence,
    deduplicate,
    describe_record,
)

EXPECTED = "a JSON list of SpERT records"

ENTITY_KEYS = (("start", int), ("end", int), ("type", str))
RELATION_KEYS = (("head", int), ("tail", int), ("type", str))


def read_spert(path: str | Path) -> list[Sentence]:
    """
    Reads and validates a SpERT JSON file.

    # Parameters

    path : `Union[str, Path]`
        The file.

    # Raises

    `DataFormatError`, naming the file and the record (its index in the list), on malformed JSON
    (or bytes that are not UTF-8: the line and the byte offset), a missing or ill-typed field, an
    empty sentence, an empty span or one beyond its sentence, or a relation pointing to a missing
    entity; naming the file, on a file without records (empty, blank, or `[]`).
    """
    source = str(path)
    text = read_utf8(path)
    if not text.strip():
        raise no_records_error(source, EXPECTED)
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataFormatError(
            source, f"line {error.lineno} column {error.colno}", f"malformed JSON: {error.msg}"
        ) from None
    if not isinstance(records, list):
        raise DataFormatError(
            source, "top level", f"expected a JSON list of sentences, got {type(records).__name__}"
        )
    if not records:
        raise no_records_error(source, EXPECTED)
    return [parse_spert_record(record, source, index) for index, record in enumerate(records)]


def read_spert_lines(path: str | Path) -> list[Sentence]:
    """
    Reads and validates SpERT JSON lines: one SpERT record per line, blank lines skipped. Each
    record is parsed by `parse_spert_record`, with its position among the records as its index.

    # Parameters

    path : `Union[str, Path]`
        The file.

    # Raises

    `DataFormatError`, naming the file and the line, on malformed JSON, an invalid record, or an
    error record of the predictor (`{"error": ...}`, written for an input it could not read).
    """
    source = str(path)
    sentences: list[Sentence] = []
    for number, record in read_json_lines(path):
        if isinstance(record, dict) and "error" in record and "tokens" not in record:
            raise DataFormatError(
                source,
                f"line {number}",
                f"the predictor could not read its input: {record['error']}",
            )
        try:
            sentences.append(parse_spert_record(record, source, len(sentences)))
        except DataFormatError as error:
            raise DataFormatError(
                source, f"line {number} ({error.record})", error.problem
            ) from None
    return sentences


def read_spert_either(path: str | Path) -> list[Sentence]:
    """
    Reads a SpERT JSON file (`read_spert`) when its first non-blank character is `[`, and SpERT
    JSON lines (`read_spert_lines`) otherwise: gold files and predictions alike.

    # Parameters

    path : `Union[str, Path]`
        The file.

    # Raises

    `DataFormatError` as `read_spert` and `read_spert_lines` do, and for a file without a non-blank
    character; `OSError` when the file cannot be read.
    """
    first = _first_byte(path)
    if first == b"[":
        return read_spert(path)
    if first is None:
        raise no_records_error(str(path), "SpERT JSON or SpERT JSON lines")
    return read_spert_lines(path)


def _first_byte(path: str | Path) -> bytes | None:
    """The first byte of a file that is not ASCII whitespace, `None` if it has none."""
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(4096), b""):
            stripped = chunk.lstrip()
            if stripped:
                return stripped[:1]
    return None


def parse_spert_record(record: Any, source: str, index: int) -> Sentence:
    """
    Turns one decoded SpERT record into a validated `Sentence`. An entity repeating an earlier one
    (same span and type) is dropped, with a warning, and relations to it point to the earlier one
    (`stsn_allennlp.core.sentence.deduplicate`).

    # Parameters

    record : `Any`
        The decoded JSON value.
    source : `str`
        The file, for provenance and errors.
    index : `int`
        The record's index in the file's list.
    """
    metadata: dict[str, Any] = {"source": source, "record": index}
    if isinstance(record, dict) and "orig_id" in record:
        metadata["orig_id"] = record["orig_id"]
    try:
        expect(record, dict, "the record")
        tokens = member(record, "tokens", list, "the record")
        for position, token in enumerate(tokens):
            expect(token, str, f"token {position}")
        entities = [
            Entity(*_fields(entity, ENTITY_KEYS, f"entity {position}"))
            for position, entity in enumerate(member(record, "entities", list, "the record"))
        ]
        relations = [
            Relation(*_fields(relation, RELATION_KEYS, f"relation {position}"))
            for position, relation in enumerate(member(record, "relations", list, "the record"))
        ]
        sentence = Sentence(tokens, entities, relations, metadata)
        sentence.check()
    except ValueError as error:
        raise DataFormatError(source, describe_record(metadata), str(error)) from None
    return deduplicate(sentence)


def _fields(value: Any, keys: tuple[tuple[str, type], ...], what: str) -> list[Any]:
    expect(value, dict, what)
    return [member(value, key, expected, what) for key, expected in keys]


def sentence_to_spert(sentence: Sentence, orig_id: Any = None) -> dict[str, Any]:
    """
    The SpERT record of a sentence.

    # Parameters

    sentence : `Sentence`
        The sentence.
    orig_id : `Any`, optional (default = `None`)
        Written as `"orig_id"` unless `None`.
    """
    record: dict[str, Any] = {
        "tokens": list(sentence.tokens),
        "entities": [{"type": e.type, "start": e.start, "end": e.end} for e in sentence.entities],
        "relations": [{"type": r.type, "head": r.head, "tail": r.tail} for r in sentence.relations],
    }
    if orig_id is not None:
        record["orig_id"] = orig_id
    return record


def write_spert(sentences: Iterable[Sentence], path: str | Path) -> int:
    """
    Writes sentences as a SpERT JSON list, one record per line, and returns their number.

    A sentence's `orig_id` is its metadata's `"orig_id"`; a sentence read from DyGIE gets its
    `doc_key`, followed by `#` and its index when the document holds more than one sentence.
    """
    sentences = list(sentences)
    document_sizes = Counter(s.metadata["doc_key"] for s in sentences if "doc_key" in s.metadata)
    records = [sentence_to_spert(s, _orig_id(s, document_sizes)) for s in sentences]
    lines = ",\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    Path(path).write_text(f"[\n{lines}\n]\n" if records else "[]\n", encoding="utf-8")
    return len(records)


def _orig_id(sentence: Sentence, document_sizes: Counter) -> Any:
    metadata = sentence.metadata
    if "doc_key" not in metadata:
        return metadata.get("orig_id")
    if document_sizes[metadata["doc_key"]] == 1:
        return metadata["doc_key"]
    return f"{metadata['doc_key']}#{metadata['sentence_index']}"
