"""Predictions of the fixture's dev sentences with known errors, for the view's tests."""

import json
from pathlib import Path

import pytest

from tests import FIXTURE_DATA

GOLD = FIXTURE_DATA / "spert_dev.json"

EXPECTED = {
    ("entity", "correct"): 6,
    ("entity", "spurious"): 2,
    ("entity", "missed"): 1,
    ("arc", "correct"): 2,
    ("arc", "spurious"): 1,
    ("arc", "missed"): 2,
}
"""The marks of `PREDICTIONS` against `GOLD`: dev-0 types Berlin `Org` (an entity spurious and
one missed, and so OrgBased_In), dev-2 finds a spurious `Other`, dev-3 misses its relation."""

SENTENCES_WITH_ERRORS = 3

PREDICTIONS = [
    {
        "entities": [("Peop", 0, 2), ("Org", 4, 6), ("Org", 7, 8)],
        "relations": [("Work_For", 0, 1), ("OrgBased_In", 1, 2)],
    },
    {"entities": [("Peop", 0, 2), ("Loc", 4, 5)], "relations": [("Live_In", 0, 1)]},
    {"entities": [("Other", 4, 5)], "relations": []},
    {"entities": [("Org", 3, 6), ("Loc", 5, 6)], "relations": []},
]


def write_predictions(path: Path) -> Path:
    """Writes `PREDICTIONS` as the predictor's JSON lines (scores, `line`, `orig_id`)."""
    gold = json.loads(GOLD.read_text())
    with open(path, "w") as lines:
        for number, (record, predicted) in enumerate(zip(gold, PREDICTIONS, strict=True), start=1):
            entities = [
                {"type": t, "start": s, "end": e, "score": 0.5 + 0.1 * i}
                for i, (t, s, e) in enumerate(predicted["entities"])
            ]
            relations = [
                {"type": t, "head": h, "tail": k, "score": 0.75}
                for t, h, k in predicted["relations"]
            ]
            lines.write(
                json.dumps(
                    {
                        "line": number,
                        "orig_id": record["orig_id"],
                        "tokens": record["tokens"],
                        "entities": entities,
                        "relations": relations,
                    }
                )
                + "\n"
            )
    return path


@pytest.fixture
def predictions(tmp_path) -> Path:
    return write_predictions(tmp_path / "predictions.jsonl")
