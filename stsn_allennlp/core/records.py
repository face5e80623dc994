"""The predictor's output records: SpERT-compatible sentences with scores and provenance.

A sentence record is `{"tokens", "entities", "relations"}` as in SpERT's JSON (`end` exclusive,
relation `head` and `tail` indexing `entities`), with a `score` on each entity and relation, and,
for raw-text input, `char_start` and `char_end` on each entity. Plain Python: nothing here knows
AllenNLP.
"""

from collections.abc import Mapping, Sequence
from typing import Any

JsonDict = dict[str, Any]

PROVENANCE_KEYS = ("orig_id", "doc_key", "sentence_index")
"""The metadata of a gold file's sentence that its prediction keeps."""

SENTENCES = "sentences"
"""The key of a document's sentence records."""


def empty_record() -> JsonDict:
    """The prediction of a sentence without tokens."""
    return {"tokens": [], "entities": [], "relations": []}


def sentence_record(
    output: Mapping[str, Any],
    text: str | None = None,
    offsets: Sequence[tuple[int, int]] = (),
) -> JsonDict:
    """
    The record of one sentence from the model's human-readable output.

    # Parameters

    output : `Mapping[str, Any]`
        One sentence's output of `Stsn.make_output_human_readable`: `tokens`, `entities` (dicts
        with `type`, `start`, `end`, `text`, `score`) and `relations` (dicts with `type`, `head`,
        `tail`, `score`).
    text : `str`, optional (default = `None`)
        The raw text the sentence came from. When given, each entity gets `char_start` and
        `char_end` from `offsets`, and its `text` is the surface string `text[char_start:char_end]`
        (otherwise the entity's tokens joined by spaces).
    offsets : `Sequence[Tuple[int, int]]`, optional (default = `()`)
        The `(start, end)` character offsets of each token into `text`.
    """
    entities = []
    for entity in output["entities"]:
        record = {key: entity[key] for key in ("type", "start", "end", "text", "score")}
        if text is not None:
            char_start, char_end = offsets[entity["start"]][0], offsets[entity["end"] - 1][1]
            record.update(text=text[char_start:char_end], char_start=char_start, char_end=char_end)
        entities.append(record)
    relations = [
        {key: relation[key] for key in ("type", "head", "tail", "score")}
        for relation in output["relations"]
    ]
    return {"tokens": list(output["tokens"]), "entities": entities, "relations": relations}


def provenance(metadata: Mapping[str, Any]) -> JsonDict:
    """The keys of `PROVENANCE_KEYS` that a sentence's metadata holds."""
    return {key: metadata[key] for key in PROVENANCE_KEYS if key in metadata}


def output_lines(outputs: JsonDict) -> list[JsonDict]:
    """
    The records an output becomes in a predictions file: a document's sentences one per line, each
    with the document's other keys (e.g. `"line"`); any other output as it is.

    # Parameters

    outputs : `JsonDict`
        A sentence record, an error record or a document record (`{"sentences": [...], ...}`).
    """
    if SENTENCES not in outputs:
        return [outputs]
    shared = {key: value for key, value in outputs.items() if key != SENTENCES}
    return [{**shared, **sentence} for sentence in outputs[SENTENCES]]
