"""Mean, standard deviation and top-k mean of the scores of several runs. Plain Python."""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Where a run's `metrics.json` keeps the scores of each split: `test_*` when the config names a
# test set (`evaluate_on_test`), `best_validation_*` for the kept (best) epoch on validation data.
SPLIT_PREFIXES = {"test": "test_", "validation": "best_validation_"}


def split_scores(metrics: Mapping[str, Any], split: str) -> dict[str, float]:
    """
    The numeric scores of one split in a run's `metrics.json`, without their prefix, under the
    names of `stsn_allennlp.core.scoring` (without the `_` that keeps a score out of AllenNLP's
    progress bar: `best_validation__ner_Peop_f1` is `ner_Peop_f1`).

    # Parameters

    metrics : `Mapping[str, Any]`
        The content of `metrics.json`.
    split : `str`
        `"test"` or `"validation"` (see `SPLIT_PREFIXES`).

    # Returns

    `Dict[str, float]`
        E.g. `{"re_plus_f1_micro": 61.2, "loss": 0.8, ...}`; empty when the run has no such scores.
    """
    prefix = SPLIT_PREFIXES[split]
    return {
        key[len(prefix) :].lstrip("_"): float(value)
        for key, value in metrics.items()
        if key.startswith(prefix) and isinstance(value, (int, float))
    }


@dataclass
class Summary:
    """
    The scores of several runs summarized, metric by metric, over the metrics every run reports.

    # Parameters

    names : `List[str]`
        The runs, in order.
    mean : `Dict[str, float]`
        The mean of each metric.
    std : `Dict[str, Optional[float]]`
        The sample standard deviation (n - 1 in the denominator) of each metric; `None` for a
        single run.
    rank_by : `Optional[str]`, optional (default = `None`)
        The metric that ranks the runs for the top-k mean.
    top_k_names : `List[str]`, optional (default = `[]`)
        The `k` best runs by `rank_by`, best first (ties keep the runs' order).
    top_k_mean : `Optional[Dict[str, float]]`, optional (default = `None`)
        The mean of each metric over those runs; `None` without a top-k.
    """

    names: list[str]
    mean: dict[str, float]
    std: dict[str, float | None]
    rank_by: str | None = None
    top_k_names: list[str] = field(default_factory=list)
    top_k_mean: dict[str, float] | None = None


def summarize(
    runs: Mapping[str, Mapping[str, float]],
    top_k: int | None = None,
    rank_by: str = "re_plus_f1_micro",
) -> Summary:
    """
    Summarizes runs: mean and standard deviation of each metric, and the mean of the `top_k` runs
    ranked by `rank_by` (the paper reports the mean of the top 5 of 20 runs by F1).

    # Parameters

    runs : `Mapping[str, Mapping[str, float]]`
        The scores of each run, by run name, in order.
    top_k : `Optional[int]`, optional (default = `None`)
        How many of the best runs to average; `None` for no top-k mean.
    rank_by : `str`, optional (default = `"re_plus_f1_micro"`)
        The metric that ranks the runs.

    # Raises

    `ValueError` without runs, with `top_k` not in `[1, len(runs)]`, or when some run lacks
    `rank_by`.
    """
    if not runs:
        raise ValueError("there are no runs to summarize")
    names = list(runs)
    keys = [key for key in runs[names[0]] if all(key in scores for scores in runs.values())]
    mean = _mean(runs.values(), keys)
    std = {key: _sample_std([runs[name][key] for name in names]) for key in keys}
    if top_k is None:
        return Summary(names, mean, std)
    if not 1 <= top_k <= len(names):
        raise ValueError(f"top-k must lie in [1, {len(names)}] (the number of runs), got {top_k}")
    missing = [name for name in names if rank_by not in runs[name]]
    if missing:
        raise ValueError(f"runs {missing} report no {rank_by!r} to rank by")
    best = sorted(names, key=lambda name: -runs[name][rank_by])[:top_k]
    return Summary(names, mean, std, rank_by, best, _mean([runs[name] for name in best], keys))


def _mean(runs: Iterable[Mapping[str, float]], keys: list[str]) -> dict[str, float]:
    runs = list(runs)
    return {key: math.fsum(scores[key] for scores in runs) / len(runs) for key in keys}


def _sample_std(values: list[float]) -> float | None:
    if len(values) < 2:
        return None
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((value - mean) ** 2 for value in values) / (len(values) - 1))
