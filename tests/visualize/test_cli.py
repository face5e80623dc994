import json
import re

from stsn_allennlp.commands.visualize import main
from tests.visualize.conftest import EXPECTED, GOLD, SENTENCES_WITH_ERRORS


def _statuses(page):
    found = re.findall(r'<g class="(entity|arc)[^"]*"[^>]*? data-status="(\w+)"', page)
    return {key: found.count(key) for key in set(found)}


def test_view_against_gold(predictions, tmp_path, capsys):
    output = tmp_path / "view.html"
    assert main([str(predictions), "--gold", str(GOLD), "-o", str(output)]) == 0
    page = output.read_text()
    assert _statuses(page) == EXPECTED
    assert f"only sentences with errors ({SENTENCES_WITH_ERRORS})" in page
    assert "title=" not in page and "line 1, orig_id dev-0" in page
    assert 'data-score="0.7500"' in page and "score 0.500" in page  # scores for the tooltips
    assert "wrote" in capsys.readouterr().out


def test_view_without_gold_marks_every_prediction(predictions, tmp_path):
    output = tmp_path / "view.html"
    assert main([str(predictions), "-o", str(output)]) == 0
    assert _statuses(output.read_text()) == {("entity", "predicted"): 8, ("arc", "predicted"): 3}


def test_error_and_document_records(predictions, tmp_path, capsys):
    lines = predictions.read_text().splitlines()
    document = {"line": 9, "sentences": [json.loads(lines[0]), json.loads(lines[1])]}
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(
        "\n".join([json.dumps({"line": 7, "error": "bad <input>"}), "", json.dumps(document)])
        + "\n"
    )
    output = tmp_path / "view.html"
    assert main([str(mixed), "-o", str(output)]) == 0
    warning = capsys.readouterr().err
    assert f"{mixed}, line 1: skipped" in warning and "(input line 7): bad <input>" in warning
    page = output.read_text()
    assert page.count('<section class="sentence"') == 2 and "bad &lt;input&gt;" in page
    assert "line 3, orig_id dev-1" in page  # a document's sentences keep their file line


def test_misaligned_gold_fails_naming_the_files(predictions, tmp_path, capsys):
    lines = predictions.read_text().splitlines()
    shorter = tmp_path / "shorter.jsonl"
    shorter.write_text("\n".join(lines[:3]) + "\n")
    assert main([str(shorter), "--gold", str(GOLD), "-o", str(tmp_path / "v.html")]) == 1
    error = capsys.readouterr().err
    assert "holds 4 records but" in error and str(shorter) in error
    assert not (tmp_path / "v.html").exists()


def test_invalid_record_names_file_and_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"tokens": ["a"], "entities": [{"type": "X", "start": 0, "end": 5}], "relations": []}\n'
    )
    assert main([str(bad), "-o", str(tmp_path / "v.html")]) == 1
    assert f"{bad}, line 1" in capsys.readouterr().err
