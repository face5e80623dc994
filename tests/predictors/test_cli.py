"""`allennlp predict --predictor stsn` end to end; its predictions scored by `evaluate`."""

import json
import runpy
import sys
from pathlib import Path

import pytest
from allennlp.commands import main as allennlp_main

from stsn_allennlp.commands import evaluate
from stsn_allennlp.core.convert import convert
from tests import FIXTURE_DATA, REPO_ROOT

RAW_LINES = [
    '{"sentence": "John Smith works for Acme Corp. in Boston."}',
    "",
    "not json",
    '{"document": "Mary Jones lives in Paris. She works for Globex."}',
    '{"text": "no known key"}',
    "   ",
    '{"tokens": ["Peter", "Brown", "lives", "in", "Berlin", "."]}',
    '{"sentence": ""}',
    '{"sentence": "Zoë Müller wohnt in Köln."}',
]


def allennlp(monkeypatch, *argv: str) -> None:
    """Runs the `allennlp` command in this process (no second start-up of AllenNLP)."""
    monkeypatch.setattr(sys, "argv", ["allennlp", *argv])
    allennlp_main()


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_raw_text_file_one_bad_line_loses_nothing(monkeypatch, tmp_path, capsys, archive):
    inputs, outputs = tmp_path / "raw.jsonl", tmp_path / "predictions.jsonl"
    inputs.write_text("\n".join(RAW_LINES) + "\n", encoding="utf-8")
    allennlp(
        monkeypatch,
        "predict",
        str(archive),
        str(inputs),
        "--predictor",
        "stsn",
        "--output-file",
        str(outputs),
        "--silent",
        "--batch-size",
        "3",
    )

    records = read_lines(outputs)
    # Lines are numbered as the file numbers them; a blank line is an empty sentence, and the
    # document gives one line per sentence.
    assert [(r["line"], r.get("sentence_index")) for r in records] == [
        (1, None),
        (2, None),
        (3, None),
        (4, 0),
        (4, 1),
        (5, None),
        (6, None),
        (7, None),
        (8, None),
        (9, None),
    ]
    empty = {"tokens": [], "entities": [], "relations": []}
    assert records[1] == {"line": 2, **empty} and records[6] == {"line": 6, **empty}
    assert records[2]["error"].startswith("line 3: the line is not valid JSON")
    assert "'sentence', 'document', 'tokens'; it has 'text'" in records[5]["error"]
    assert records[0]["tokens"][-4:] == ["Corp.", "in", "Boston", "."]
    assert records[4]["tokens"] == ["She", "works", "for", "Globex", "."]
    assert records[7]["tokens"][0] == "Peter" and records[9]["tokens"][0] == "Zoë"
    assert records[8] == {"line": 8, **empty}

    show_predictions = runpy.run_path(str(REPO_ROOT / "scripts" / "show_predictions.py"))
    show_predictions["main"](str(outputs))
    shown = capsys.readouterr().out
    assert "[line 4, sentence 1] She works for Globex ." in shown
    assert "[line 3] error: line 3: the line is not valid JSON" in shown


@pytest.mark.parametrize("gold_format", ["spert", "dygie"])
def test_gold_file_predictions_score_without_conversion(
    monkeypatch, tmp_path, capsys, archive, gold_format
):
    if gold_format == "spert":
        gold = FIXTURE_DATA / "spert_dev.json"
        source, overrides = gold, []
    else:  # the metric's command reads SpERT gold: the DyGIE file's sentences, converted
        source, gold = FIXTURE_DATA / "dygie_train.jsonl", tmp_path / "gold.json"
        convert(source, gold, to="spert")
        overrides = ["--overrides", json.dumps({"validation_dataset_reader.type": "stsn_dygie"})]
    predictions = tmp_path / "predictions.jsonl"
    allennlp(
        monkeypatch,
        "predict",
        str(archive),
        str(source),
        "--use-dataset-reader",
        "--predictor",
        "stsn",
        "--output-file",
        str(predictions),
        "--silent",
        *overrides,
    )

    records = read_lines(predictions)
    assert len(records) == len(json.loads(gold.read_text()))
    assert all(set(r) >= {"tokens", "entities", "relations"} for r in records)

    capsys.readouterr()
    assert evaluate.main([str(gold), str(predictions)]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert {"ner_f1_micro", "re_f1_micro", "re_plus_f1_micro"} <= set(scores)


def test_evaluate_ends_with_the_headline_table(monkeypatch, tmp_path, capsys, archive):
    metrics_file = tmp_path / "metrics.json"
    gold = FIXTURE_DATA / "spert_dev.json"
    allennlp(monkeypatch, "evaluate", str(archive), str(gold), "--output-file", str(metrics_file))

    table = capsys.readouterr().out.splitlines()[-5:]
    metrics = json.loads(metrics_file.read_text())
    assert [line.split()[0] for line in table] == ["P", "NER", "RE", "RE+", "loss"]
    for line, task in zip(table[1:4], ("ner", "re", "re_plus")):
        keys = [f"{task}_{column}" for column in ("precision_micro", "recall_micro", "f1_micro")]
        keys.append(f"{task}_f1_macro")
        # outside the bar's headline the file's names carry AllenNLP's leading `_`
        expected = [metrics[key] if key in metrics else metrics[f"_{key}"] for key in keys]
        assert line.split()[1:] == [f"{value:.2f}" for value in expected]
