"""`python -m stsn_allennlp.evaluate`: scores, error analysis and bad input."""

import json
import runpy
import sys
from pathlib import Path
from typing import Any

import pytest

from stsn_allennlp.commands.evaluate import main
from tests import FIXTURE_DATA, SHARED_DATA

TRAIN = FIXTURE_DATA / "spert_train.json"


def records() -> list[dict]:
    return json.loads(TRAIN.read_text())


def write(path: Path, content: Any) -> str:
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def run(capsys, *argv: str):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    "gold",
    [
        TRAIN,
        FIXTURE_DATA / "spert_dev.json",
        SHARED_DATA / "conll04" / "conll04_dev.json",
        SHARED_DATA / "ade" / "ade_split_0_test.json",
    ],
    ids=lambda path: path.name,
)
def test_gold_against_itself_scores_100_everywhere(capsys, gold):
    if not gold.exists():
        pytest.skip(f"{gold} is absent (the shared benchmark data lies beside the repository)")
    status, out, err = run(capsys, str(gold), str(gold))
    assert status == 0, err
    scores = json.loads(out)
    assert {"ner_f1_micro", "re_f1_macro", "re_plus_f1_micro"} <= set(scores)
    assert all(value == 100.0 for value in scores.values())


def test_prediction_extra_keys_are_ignored_and_errors_scored(capsys, tmp_path):
    predicted = records()
    for record in predicted:
        for entity in record["entities"]:
            entity["score"], entity["text"] = 0.9, "whatever"
    predicted[0]["entities"][1]["type"] = "Loc"  # Acme Corp as Loc: Work_For, OrgBased_In RE-only
    status, out, _ = run(capsys, str(TRAIN), write(tmp_path / "pred.json", predicted))
    assert status == 0
    scores = json.loads(out)
    # 15 gold entities, 1 wrong; 9 gold relations, 2 of them with the wrongly typed entity.
    assert scores["ner_precision_micro"] == pytest.approx(100 * 14 / 15)
    assert scores["re_f1_micro"] == 100.0
    assert scores["re_plus_recall_micro"] == pytest.approx(100 * 7 / 9)


def test_symmetric_option(capsys, tmp_path):
    gold = [
        {
            "tokens": ["Ann", "met", "Bob"],
            "entities": [
                {"type": "PER", "start": 0, "end": 1},
                {"type": "PER", "start": 2, "end": 3},
            ],
            "relations": [{"type": "PER-SOC", "head": 0, "tail": 1}],
        }
    ]
    predicted = json.loads(json.dumps(gold))
    predicted[0]["relations"][0].update(head=1, tail=0)
    paths = write(tmp_path / "gold.json", gold), write(tmp_path / "pred.json", predicted)
    assert json.loads(run(capsys, *paths)[1])["re_plus_f1_micro"] == 0.0
    _status, out, _ = run(capsys, *paths, "--symmetric", "PER-SOC")
    assert json.loads(out)["re_plus_f1_micro"] == 100.0


def test_error_analysis_follows_the_json(capsys):
    status, out, _ = run(capsys, str(TRAIN), str(TRAIN), "--error-analysis")
    assert status == 0
    scores_text, tables = out.split("\n\n", 1)
    assert json.loads(scores_text)["ner_f1_micro"] == 100.0
    assert "NER by entity length (tokens)" in tables
    assert "RE+ (strict) by sentence length (tokens)" in tables


def test_files_of_different_lengths_name_the_first_missing_record(capsys, tmp_path):
    predicted = write(tmp_path / "pred.json", records()[:-2])
    status, out, err = run(capsys, str(TRAIN), predicted)
    assert status == 1 and out == ""
    assert "holds 8 records but" in err and "holds 6" in err
    assert "record 6" in err


def test_token_mismatch_names_the_first_mismatching_record(capsys, tmp_path):
    predicted = records()
    predicted[3]["tokens"][2] = "CHANGED"
    predicted[5]["tokens"][0] = "CHANGED"
    status, _, err = run(capsys, str(TRAIN), write(tmp_path / "pred.json", predicted))
    assert status == 1
    assert "record 3 (orig_id 'train-3')" in err and "token 2" in err and "record 5" not in err


def test_token_mismatch_is_reported_before_a_length_difference(capsys, tmp_path):
    predicted = records()[:-1]
    predicted[1]["tokens"] = predicted[1]["tokens"][:-1]
    status, _, err = run(capsys, str(TRAIN), write(tmp_path / "pred.json", predicted))
    assert status == 1 and "record 1 " in err


# The messages come from `stsn_allennlp.data.read_spert`; only what the command promises is checked.
@pytest.mark.parametrize(
    "content, where",
    [
        ('[{"tokens": ["a"],', "line 1 column"),
        ('{"tokens": []}', "line 1 (record 0)"),
        ('[{"tokens": ["a"], "entities": []}]', "record 0"),
        (
            '[{"tokens": ["a"], "entities": [{"type": "A", "start": 0, "end": 2}], '
            '"relations": []}]',
            "record 0",
        ),
        (
            '[{"tokens": ["a"], "entities": [{"type": "A", "start": "0", "end": 1}], '
            '"relations": []}]',
            "record 0",
        ),
        (
            '[{"tokens": ["a"], "entities": [], "relations": [{"type": "R", "head": 0, '
            '"tail": 0}]}]',
            "record 0",
        ),
    ],
    ids=[
        "malformed-json",
        "object-read-as-json-lines",
        "missing-key",
        "span-outside",
        "ill-typed",
        "bad-index",
    ],
)
def test_bad_files_are_named(capsys, tmp_path, content, where):
    bad = write(tmp_path / "bad.json", content)
    status, out, err = run(capsys, str(TRAIN), bad)
    assert status == 1 and out == ""
    assert err.startswith(f"error: {bad}") and where in err


def json_lines(records: list[dict]) -> str:
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)


def test_json_lines_predictions_are_scored_like_a_list(capsys, tmp_path):
    # As `allennlp predict --predictor stsn` writes them: one record per line, extra keys.
    predicted = records()
    predicted[0]["entities"][1]["type"] = "Loc"
    for index, record in enumerate(predicted):
        record["line"] = index + 1
        for entity in record["entities"]:
            entity.update(score=0.9, char_start=0, char_end=1)
    as_list = run(capsys, str(TRAIN), write(tmp_path / "pred.json", predicted))
    lines = json_lines(predicted[:3]) + "\n  \n" + json_lines(predicted[3:])  # blank lines skipped
    as_lines = run(capsys, str(TRAIN), write(tmp_path / "pred.jsonl", lines))
    assert as_lines == as_list and as_lines[0] == 0
    assert json.loads(as_lines[1])["ner_f1_micro"] < 100.0


def test_gold_in_json_lines_against_itself_scores_100(capsys, tmp_path):
    gold = write(tmp_path / "gold.jsonl", json_lines(records()))
    status, out, _ = run(capsys, gold, gold)
    assert status == 0 and set(json.loads(out).values()) == {100.0}


@pytest.mark.parametrize(
    "lines, where",
    [
        ('{"tokens": ["a"], "entities": [], "relations": []}\n{"tokens": ', "line 2 column"),
        (
            '\n{"tokens": ["a"], "entities": []}\n',
            "line 2 (record 0): the record lacks the field 'relations'",
        ),
        (
            '{"line": 1, "error": "line 1: the line is not valid JSON"}\n',
            "line 1: the predictor could not read its input: line 1: the line is not valid JSON",
        ),
        ("42\n", "line 1 (record 0): the record must be of type dict"),
        (" \n\n", "the file is empty"),
    ],
    ids=["malformed-line", "invalid-record", "error-record", "not-an-object", "empty"],
)
def test_bad_json_lines_are_named_by_line(capsys, tmp_path, lines, where):
    bad = write(tmp_path / "bad.jsonl", lines)
    status, out, err = run(capsys, str(TRAIN), bad)
    assert status == 1 and out == ""
    assert err.startswith(f"error: {bad}") and where in err


def test_non_utf8_file_is_named(capsys, tmp_path):
    bad = tmp_path / "latin1.json"
    bad.write_bytes('[{"tokens": ["Mün"]}]'.encode("latin-1"))
    status, _, err = run(capsys, str(TRAIN), str(bad))
    assert status == 1 and err.startswith(f"error: {bad}, line 1, byte offset 15: not UTF-8")


def test_missing_file_is_named(capsys, tmp_path):
    missing = str(tmp_path / "missing.json")
    status, _, err = run(capsys, missing, str(TRAIN))
    assert status == 1 and err.startswith(f"error: cannot read {missing}")


@pytest.mark.filterwarnings("ignore:'stsn_allennlp.evaluate' found in sys.modules")
def test_run_as_module_exits_with_the_status(capsys, monkeypatch, tmp_path):
    # As `python -m stsn_allennlp.evaluate GOLD BAD`, without the cost of a new interpreter.
    bad = write(tmp_path / "bad.json", "not json")
    monkeypatch.setattr(sys, "argv", ["evaluate", str(TRAIN), bad])
    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("stsn_allennlp.evaluate", run_name="__main__")
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(f"error: {bad}")
