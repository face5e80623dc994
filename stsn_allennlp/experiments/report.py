"""The results of a protocol as JSON and as a Markdown table."""

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from stsn_allennlp.core import reports

# The columns of the Markdown tables (the JSON holds every metric, per type too).
HEADLINE_METRICS: tuple[tuple[str, str], ...] = (
    ("ner_f1_micro", "NER F1 micro"),
    ("ner_f1_macro", "NER F1 macro"),
    ("re_f1_micro", "RE F1 micro"),
    ("re_f1_macro", "RE F1 macro"),
    ("re_plus_f1_micro", "RE+ F1 micro"),
    ("re_plus_f1_macro", "RE+ F1 macro"),
)
JSON_FILE = "results.json"
MARKDOWN_FILE = "results.md"


def write_report(report: Mapping[str, Any], output_dir: Path) -> tuple[Path, Path]:
    """
    Writes `results.json` (the report as it is) and `results.md` (`markdown_report` of that
    file's content).

    # Parameters

    report : `Mapping[str, Any]`
        A report of `stsn_allennlp.experiments.protocols.run_protocol`.
    output_dir : `Path`
        The protocol's folder.

    # Returns

    `Tuple[Path, Path]`
        The two files.
    """
    return reports.write_report(
        report, output_dir / JSON_FILE, output_dir / MARKDOWN_FILE, markdown_report
    )


def markdown_report(report: Mapping[str, Any]) -> str:
    """
    The report's headline scores as Markdown: one table of the summarized runs (folds, or seeds
    with each seed's mean over its folds) with their mean, standard deviation and top-k mean, then,
    when seeds are cross-validated, one table of folds per seed.

    # Parameters

    report : `Mapping[str, Any]`
        A report of `stsn_allennlp.experiments.protocols.run_protocol`.
    """
    summary = report["summary"]
    over = summary["over"]
    intro = (
        f"{report['split'].capitalize()} scores in percent of each run and, over the "
        f"{len(summary['names'])} {over}, their mean and sample standard deviation"
    )
    if summary["top_k_mean"] is not None:
        intro += f", and the mean of the top {len(summary['top_k_names'])} by {summary['rank_by']}"
    lines = [f"# {report['config']}: {report['description']}", "", intro + ".", ""]
    rows = [(run["name"], run["scores"]) for run in _summarized_runs(report)]
    rows += [("mean", summary["mean"]), ("std", summary["std"])]
    if summary["top_k_mean"] is not None:
        best = ", ".join(summary["top_k_names"])
        rows.append((f"top-{len(summary['top_k_names'])} mean ({best})", summary["top_k_mean"]))
    lines += _table(rows)
    if over == "seeds" and report["folds"]:
        for run in report["runs"]:
            lines += ["", f"## {run['name']}: folds", ""]
            folds = [(fold["name"], fold["scores"]) for fold in run["folds"]]
            lines += _table([*folds, ("mean", run["scores"]), ("std", run["fold_std"])])
    return "\n".join(lines) + "\n"


def _summarized_runs(report: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
    if report["summary"]["over"] == "folds":
        return report["runs"][0]["folds"]
    return report["runs"]


def _table(rows: list[tuple[str, Mapping[str, float | None]]]) -> list[str]:
    """The run names, then one right-aligned column per headline metric."""
    alignments: list[reports.Alignment] = ["default"]
    alignments += ["right" for _ in HEADLINE_METRICS]
    table = reports.markdown_table(
        ["run", *(title for _, title in HEADLINE_METRICS)],
        [[name, *(_score(scores, key) for key, _ in HEADLINE_METRICS)] for name, scores in rows],
        alignments,
    )
    return table.splitlines()


def _score(scores: Mapping[str, float | None], key: str) -> float | None:
    """A score as a float (JSON gives whole numbers back as ints), `None` when missing."""
    value = scores.get(key)
    return None if value is None else float(value)
