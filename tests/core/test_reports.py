"""Reports: Markdown rendered from the JSON written, and the Markdown table builder."""

import json

import pytest

from stsn_allennlp.core.reports import markdown_table, render_report, write_report


def test_a_table_formats_floats_and_missing_scores_and_keeps_strings():
    table = markdown_table(["run", "F1", "note"], [["a", 61.234, "0.5"], ["b", None, 3]])
    assert table.splitlines() == [
        "| run | F1 | note |",
        "| --- | --- | --- |",
        "| a | 61.23 | 0.5 |",
        "| b | \N{EN DASH} | 3 |",
    ]


def test_a_table_aligns_the_columns_asked():
    table = markdown_table(["run", "F1"], [], ["default", "right"])
    assert table.splitlines()[1] == "| --- | ---: |"
    with pytest.raises(ValueError, match="1 alignments for 2 columns"):
        markdown_table(["run", "F1"], [], ["right"])


def test_the_markdown_is_rendered_from_the_json_written(tmp_path):
    seen = []

    def render(results):
        seen.append(results)
        return f"batches: {sorted(results['batches'])}\n\n\n"

    # a tuple and an int key come back from JSON as a list and a string key
    results = {"batches": {1: (2.0, 3.0)}}
    json_file, markdown_file = write_report(
        results, tmp_path / "out" / "r.json", tmp_path / "out" / "r.md", render
    )
    assert json.loads(json_file.read_text()) == {"batches": {"1": [2.0, 3.0]}}
    assert seen == [{"batches": {"1": [2.0, 3.0]}}]
    assert markdown_file.read_text() == "batches: ['1']\n"


def test_a_report_is_rendered_again_from_its_json_alone(tmp_path):
    json_file = tmp_path / "r.json"
    json_file.write_text(json.dumps({"score": 1.5}))
    markdown_file = render_report(json_file, tmp_path / "r.md", lambda r: f"score {r['score']}")
    assert markdown_file.read_text() == "score 1.5\n"
