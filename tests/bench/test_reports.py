"""
The benchmark reports are rendered from their JSON alone: the committed Markdown comes back from
the committed JSON, a report shows what its JSON says (not what its script would compute), and
figures quoted from elsewhere come from `bench/reference.json`.
"""

import json
import os
import shutil
import sys
from typing import Any

import pytest
import torch

# bench.common pins torch's threads at import: keep the test session's own count
os.environ.setdefault("BENCH_THREADS", str(torch.get_num_threads()))

from bench import common, long_sentences, render, speed, worst_case
from bench.common import RESULTS_DIR, environment, reference, render_report

ROUND_TRIPS = ("accuracy", "extract", "serve", "visualize")
"""The committed results whose JSON holds every figure their Markdown shows. The others were
measured before their script stored its verdicts and ratios in the JSON (speed's batched goal,
scaling's STSN / encoder ratio and memory verdict, worst_case's target verdict, long_sentences'
related share and file names): their Markdown stays as it was measured."""


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_the_committed_markdown_is_rendered_from_the_committed_json(tmp_path, name):
    shutil.copy(RESULTS_DIR / f"{name}.json", tmp_path)
    script = __import__(f"bench.{name}", fromlist=["report"])
    rendered = render_report(tmp_path, name, script.report)
    assert rendered.read_text() == (RESULTS_DIR / f"{name}.md").read_text()


def worst_case_result(**changes: Any) -> dict[str, Any]:
    return {
        "environment": environment(),
        "words": 600,
        "candidate_spans": 5955,
        "entities_returned": 1200,
        "relations_returned": 1200,
        "seconds": 8.3,
        "peak_rss_MB": 1351,
        "target": {"peak_rss_MB": 2500, "seconds": 120},
        "target_met": True,
        **changes,
    }


def test_the_render_command_renders_a_report_from_its_json(monkeypatch, tmp_path):
    # figures within the target, but the JSON's verdict says otherwise: the report follows the JSON
    (tmp_path / "smoke.json").write_text(json.dumps(worst_case_result(target_met=False)))
    arguments = ["worst_case", "--name", "smoke", "--output-dir", str(tmp_path)]
    monkeypatch.setattr(sys, "argv", ["bench.render", *arguments])
    render.main()
    report = (tmp_path / "smoke.md").read_text()
    assert "| 600 | 5955 | 1200 | 1200 | 8.30 | 1351 |" in report
    assert "at most 2500 MB and 120 s: **not met**." in report


def test_every_script_the_render_command_names_has_a_report():
    for name in render.SCRIPTS:
        script = __import__(f"bench.{name}", fromlist=["report"])
        assert callable(script.report), name


def test_the_related_share_is_the_one_measured(tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text(
        json.dumps(
            [
                {
                    "tokens": ["A", "works", "for", "B", "."],
                    "entities": [
                        {"type": "Peop", "start": 0, "end": 1},
                        {"type": "Org", "start": 3, "end": 4},
                    ],
                    "relations": [{"type": "Work_For", "head": 0, "tail": 1}],
                }
            ]
        )
    )
    results = long_sentences.measure(gold, gold, gold)
    # two tokens between the entities: one related pair (0 -> 1), one unrelated (1 -> 0)
    assert results["train_related_share"][2] == [1, 1]
    assert results["train_related_percent"][2] == 50.0
    assert results["all"]["correct"][2] == 1
    report = long_sentences.report(results)
    assert "## Gold-entity pairs of gold.json by distance" in report
    assert "| 2 | 1 | 1 | 50.0 |" in report


def test_reference_figures_name_their_source():
    entries = json.loads(common.REFERENCE_FILE.read_text())
    assert entries
    for name, entry in entries.items():
        assert entry["source"].strip(), name
        assert len(entry) > 1, f"{name} holds no figure"
    with pytest.raises(KeyError, match="no entry 'absent'"):
        reference("absent")


def test_the_speed_report_sets_the_runs_against_the_reference_figures(monkeypatch, tmp_path):
    entries = json.loads(common.REFERENCE_FILE.read_text())
    entries["design_encoder_sentences_per_second"]["1"] = 12.34
    entries["design_ceiling_sentences_per_second"]["1"] = 5.67
    (tmp_path / "reference.json").write_text(json.dumps(entries))
    monkeypatch.setattr(common, "REFERENCE_FILE", tmp_path / "reference.json")
    results = json.loads((RESULTS_DIR / "speed.json").read_text())
    results["goals"]["batched_goal"] = "met"  # measured before the verdict was stored
    row = next(
        line for line in speed.report(results).splitlines() if line.startswith("| 1 | 92.91 |")
    )
    assert row.split(" | ")[2:5] == ["12.34", "44.68", "5.67"]


def test_the_worst_case_report_reads_only_its_json():
    report = worst_case.report(worst_case_result(words=7, target={"peak_rss_MB": 1, "seconds": 2}))
    assert "| 7 | 5955 |" in report
    assert "at most 1 MB and 2 s: **met**." in report
