"""The Markdown table of a report: one row per run, then mean, std and top-k mean."""

import statistics

from stsn_allennlp.experiments.report import markdown_report
from stsn_allennlp.experiments.statistics import summarize
from tests.experiments import RUNS


def test_markdown_table_lists_the_runs_then_mean_std_and_top_k():
    summary = summarize(RUNS, top_k=2)
    report = {
        "config": "training_config/conll04.jsonnet",
        "description": "4 seeds",
        "split": "validation",
        "folds": None,
        "runs": [{"name": name, "scores": scores} for name, scores in RUNS.items()],
        "summary": {"over": "seeds", **vars(summary)},
    }
    lines = markdown_report(report).splitlines()
    assert lines[0] == "# training_config/conll04.jsonnet: 4 seeds"
    table = [line for line in lines if line.startswith("| ") and "---" not in line]
    assert [row.split(" | ")[0][2:] for row in table] == [
        "run",
        "seed_1",
        "seed_2",
        "seed_3",
        "seed_4",
        "mean",
        "std",
        "top-2 mean (seed_2, seed_4)",
    ]
    # a score a run lacks is an en dash
    assert table[1] == "| seed_1 | 88.00 | – | – | – | 60.00 | – |"  # noqa: RUF001
    assert table[6].startswith(f"| std | {statistics.stdev([88, 89, 87, 86]):.2f} |")
