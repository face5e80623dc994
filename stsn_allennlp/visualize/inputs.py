"""Reading a predictions file for the HTML view: the predictor's JSON lines, scores kept.

`python -m stsn_allennlp.evaluate` reads the same files but drops the scores and stops at the
first error record; the view keeps each entity's and relation's `score` for its tooltips, and
skips an error record (`{"line": N, "error": ...}`) with a message naming the file and the line,
so that the other sentences are still shown. Plain Python: nothing here knows AllenNLP.
"""

from pathlib import Path
from typing import Any, NamedTuple

from stsn_allennlp.core import (
    DataFormatError,
    Entity,
    Sentence,
    parse_spert_record,
    read_json_lines,
)
from stsn_allennlp.core.records import output_lines, provenance
from stsn_allennlp.core.scoring import StrictRelation, as_entity


class ScoredSentence(NamedTuple):
    """
    One predicted sentence with the scores of its entities and relations.

    # Parameters

    sentence : `Sentence`
        The validated sentence (a repeated entity read once, as the scorer reads it).
    entity_scores : `Dict[Entity, float]`
        The score of each entity, by `(start, end, type)`.
    relation_scores : `Dict[StrictRelation, float]`
        The score of each relation, by its entities and type.
    where : `str`
        Where the record was, e.g. `"line 3"`, for the page and for messages.
    """

    sentence: Sentence
    entity_scores: dict[Entity, float]
    relation_scores: dict[StrictRelation, float]
    where: str


class Predictions(NamedTuple):
    """The sentences of a predictions file, and a message for each error record skipped."""

    sentences: list[ScoredSentence]
    skipped: list[str]


def read_predictions(path: str | Path) -> Predictions:
    """
    Reads a predictions file: SpERT JSON lines as `allennlp predict --predictor stsn` writes them
    (one sentence per line), where a line may also be a document record (`{"sentences": [...]}`,
    as `predict_json` returns it: its sentences are read in order) or an error record (skipped,
    with a message). A sentence without tokens (the prediction of an empty input) is kept, empty.

    # Parameters

    path : `Union[str, Path]`
        The file.

    # Raises

    `DataFormatError`, naming the file and the line, on malformed JSON or an invalid record.
    """
    source = str(path)
    sentences: list[ScoredSentence] = []
    skipped: list[str] = []
    for number, value in read_json_lines(path):
        records = output_lines(value) if isinstance(value, dict) else [value]
        for record in records:
            if isinstance(record, dict) and "error" in record and "tokens" not in record:
                skipped.append(
                    f"{source}, line {number}: skipped, the predictor could not read its input "
                    f"(input line {record.get('line', '?')}): {record['error']}"
                )
                continue
            sentences.append(scored_sentence(record, source, number, len(sentences)))
    return Predictions(sentences, skipped)


def scored_sentence(record: Any, source: str, number: int, index: int) -> ScoredSentence:
    """
    One sentence record of the predictor, validated, with its scores.

    # Parameters

    record : `Any`
        A sentence record (`tokens`, `entities`, `relations`; scores optional).
    source : `str`
        Where it came from (a file's name), for messages.
    number : `int`
        Its line in `source`.
    index : `int`
        Its position among the sentences read.

    # Raises

    `DataFormatError`, naming the source and the line, when the record is not valid.
    """
    where = f"line {number}"
    if isinstance(record, dict) and record.get("tokens") == [] and not record.get("entities"):
        return ScoredSentence(Sentence([], [], []), {}, {}, where)
    try:
        sentence = parse_spert_record(record, source, index)
    except DataFormatError as error:
        raise DataFormatError(source, f"{where} ({error.record})", error.problem) from None
    entities = [as_entity((e["start"], e["end"], e["type"])) for e in record["entities"]]
    entity_scores = {
        entity: float(raw["score"])
        for entity, raw in zip(entities, record["entities"], strict=True)
        if _is_score(raw.get("score"))
    }
    relation_scores = {
        (entities[raw["head"]], entities[raw["tail"]], raw["type"]): float(raw["score"])
        for raw in record["relations"]
        if _is_score(raw.get("score"))
    }
    return ScoredSentence(sentence, entity_scores, relation_scores, _where(record, where))


def _is_score(value: Any | None) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _where(record: dict[str, Any], where: str) -> str:
    """`where`, with the gold record's identifiers that the record carries."""
    details = [f"{key} {value}" for key, value in provenance(record).items()]
    return ", ".join([where, *details])
