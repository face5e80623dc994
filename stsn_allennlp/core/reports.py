"""Results written as JSON first and rendered to Markdown from that JSON alone, and the Markdown
tables of such reports (the protocols of `stsn_allennlp.experiments` and the scripts of `bench/`
share both). Plain Python."""

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

Alignment = Literal["default", "right"]
Render = Callable[[dict[str, Any]], str]
"""Markdown from a report's JSON content, as `json.loads` gives it back."""

_SEPARATORS: dict[str, str] = {"default": "---", "right": "---:"}


def markdown_cell(value: Any) -> str:
    """
    A value as a Markdown table cell: a float with two decimals, `None` (a score a run lacks) as an
    en dash, anything else as `str` gives it (so a caller formats a cell its own way as a string).

    # Parameters

    value : `Any`
        The cell's value.
    """
    if value is None:
        return "\N{EN DASH}"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def markdown_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    alignments: Sequence[Alignment] | None = None,
) -> str:
    """
    A GitHub Markdown table, its cells written by `markdown_cell`.

    # Parameters

    headers : `Sequence[str]`
        The column titles.
    rows : `Iterable[Sequence[Any]]`
        The rows, one value per column.
    alignments : `Optional[Sequence[Alignment]]`, optional (default = `None`)
        Per column, `"default"` or `"right"` (numbers); `None` leaves every column's default.
    """
    alignments = alignments or ["default"] * len(headers)
    if len(alignments) != len(headers):
        raise ValueError(f"{len(alignments)} alignments for {len(headers)} columns")
    lines = [_row(headers), _row([_SEPARATORS[alignment] for alignment in alignments])]
    lines += [_row([markdown_cell(value) for value in row]) for row in rows]
    return "\n".join(lines)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def write_report(
    results: Mapping[str, Any], json_file: Path, markdown_file: Path, render: Render
) -> tuple[Path, Path]:
    """
    Writes `results` to `json_file`, then `markdown_file` from that file alone (`render_report`),
    so that a report never shows a figure its JSON does not hold.

    # Parameters

    results : `Mapping[str, Any]`
        The measured results (JSON values).
    json_file : `Path`
        Where they go.
    markdown_file : `Path`
        Where their Markdown goes.
    render : `Render`
        The Markdown of the results, from their JSON content.

    # Returns

    `Tuple[Path, Path]`
        The two files.
    """
    json_file.parent.mkdir(parents=True, exist_ok=True)
    json_file.write_text(json.dumps(results, indent=2) + "\n")
    return json_file, render_report(json_file, markdown_file, render)


def render_report(json_file: Path, markdown_file: Path, render: Render) -> Path:
    """
    Writes `markdown_file` rendered from the JSON in `json_file`; returns it.

    # Parameters

    json_file : `Path`
        A report's JSON.
    markdown_file : `Path`
        Where its Markdown goes.
    render : `Render`
        The Markdown of the JSON content.
    """
    markdown_file.write_text(render(json.loads(json_file.read_text())).rstrip() + "\n")
    return markdown_file
