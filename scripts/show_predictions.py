"""Print a predictions file of `allennlp predict --predictor stsn` for a person to read.

    python scripts/show_predictions.py PREDICTIONS.jsonl

Each line of the file is one sentence (a document's sentences follow each other with their
`sentence_index`) or an error record for an input line the predictor could not read.
"""

import json
import sys
from typing import Any

JsonDict = dict[str, Any]


def heading(record: JsonDict) -> str:
    """Where the record comes from: its input line and sentence, or its gold file's ids."""
    where = [f"{key} {record[key]}" for key in ("line", "orig_id", "doc_key") if key in record]
    if "sentence_index" in record:
        where.append(f"sentence {record['sentence_index']}")
    return f"[{', '.join(where)}] " if where else ""


def describe(record: JsonDict) -> str:
    """A sentence with its entities and relations, or an error, as indented lines."""
    if "error" in record:
        return f"{heading(record)}error: {record['error']}"
    entities = record["entities"]
    lines = [heading(record) + (" ".join(record["tokens"]) or "(no tokens)")]
    for entity in sorted(entities, key=lambda entity: (entity["start"], entity["end"])):
        where = ""
        if "char_start" in entity:
            where = f" chars {entity['char_start']}-{entity['char_end']}"
        lines.append(
            f"  entity   {entity['type']:<12} {entity['text']!r} ({entity['score']:.2f}){where}"
        )
    for relation in record["relations"]:
        head, tail = entities[relation["head"]]["text"], entities[relation["tail"]]["text"]
        lines.append(
            f"  relation {relation['type']:<12} {head!r} -> {tail!r} ({relation['score']:.2f})"
        )
    if not entities:
        lines.append("  (no entities)")
    return "\n".join(lines)


def main(path: str) -> None:
    """Prints every record of the predictions file `path`."""
    with open(path, encoding="utf-8") as predictions:
        for line in predictions:
            if line.strip():
                print(describe(json.loads(line)))


if __name__ == "__main__":
    main(sys.argv[1])
