"""`allennlp evaluate` on an `stsn` model ends with its headline scores.

AllenNLP's command prints one progress bar and writes the scores only with `--output-file`.
`printing_headline` wraps `evaluate_from_archive` (what the command calls): it runs with the quiet
console's short progress bar (`stsn_allennlp.cli.console`) and, when the scores are the
`joint_extraction` metric's, a table of precision, recall and F1 of NER, RE and RE+ (micro, and
macro F1) follows on stdout.
"""

import functools
from collections.abc import Callable
from typing import Any

from stsn_allennlp.cli.console import quiet_console

TASKS = (("NER", "ner"), ("RE", "re"), ("RE+", "re_plus"))
COLUMNS = ("precision_micro", "recall_micro", "f1_micro", "f1_macro")


def score(metrics: dict[str, Any], key: str) -> float:
    """A score under its name or, outside the progress bar's headline, with AllenNLP's `_`."""
    return metrics[key] if key in metrics else metrics[f"_{key}"]


def headline_table(metrics: dict[str, Any]) -> str:
    """
    The scores `allennlp evaluate` reports as a table (percent), with the loss.

    # Parameters

    metrics : `Dict[str, Any]`
        The command's metrics (headline names plain, the others with a leading `_`).
    """
    lines = [f"{'':<6}{'P':>8}{'R':>8}{'F1':>8}{'macro F1':>10}   (micro unless macro; %)"]
    for label, task in TASKS:
        values = [score(metrics, f"{task}_{column}") for column in COLUMNS]
        lines.append(
            f"{label:<6}" + "".join(f"{v:>8.2f}" for v in values[:3]) + f"{values[3]:>10.2f}"
        )
    if "loss" in metrics:
        lines.append(f"loss {metrics['loss']:.4f}; every score (per type too): --output-file FILE")
    return "\n".join(lines)


def printing_headline(evaluate_from_archive: Callable[..., dict[str, Any]]) -> Callable[..., Any]:
    """
    `evaluate_from_archive` that prints `headline_table` of `joint_extraction` scores.

    # Parameters

    evaluate_from_archive : `Callable`
        AllenNLP's `allennlp.commands.evaluate.evaluate_from_archive`.
    """

    @functools.wraps(evaluate_from_archive)
    def wrapper(*args: Any, **kwargs: Any) -> dict[str, Any]:
        with quiet_console():
            metrics = evaluate_from_archive(*args, **kwargs)
        if "re_plus_f1_micro" in metrics:
            print(headline_table(metrics), flush=True)
        return metrics

    return wrapper
