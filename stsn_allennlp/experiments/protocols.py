"""
The paper's protocols (§4.1): cross-validation over folds and repeated runs with different seeds,
as `run_protocol` runs them (the library of `python -m stsn_allennlp.experiments.protocol`, whose
options are named below).

- `--folds N` trains the config once per fold 0..N-1, setting its hidden field `fold::` as a
  config of one's own would (`(import CONFIG) + {fold:: k}`; `training_config/ade.jsonnet` and
  `ade_full.jsonnet` have it), into `OUTPUT_DIR/fold_{k}`, and summarizes the folds: mean and
  standard deviation of every metric. `--first-fold K` trains folds K..N-1 only (adding folds to
  a cross-validation whose earlier folds were recorded elsewhere).
- `--seeds S1 S2 ...` trains the config once per seed (`seed_overrides`) into
  `OUTPUT_DIR/seed_{s}` and summarizes the seeds; `--top-k K` adds the mean of the K best runs by
  `--rank-by` (RE+ micro F1 by default). The paper reports the mean of the top 5 of 20 runs.
- Both together cross-validate every seed (`OUTPUT_DIR/seed_{s}/fold_{k}`); a seed's scores are
  then the mean over its folds, and the seeds are summarized as above.

The scores are those of `--split`: `test` (the default; `test_*` in a run's `metrics.json`, for
configs that evaluate a test set after training: ade, ade_full, ace05) or `validation` (the kept
epoch's `best_validation_*`, e.g. for conll04 without its test split). The results go to
`OUTPUT_DIR/results.json` (every metric of every run and of the summary) and
`OUTPUT_DIR/results.md` (a table of the headline F1 scores), and the table is printed.

CONFIG is a dataset config of `training_config/` or a config of one's own that imports one (another
data folder, encoder or hyper-parameter: see `training_config/datasets.libsonnet`). Every run trains
in this process with AllenNLP's `train_model` and the `-o` overrides (e.g. the number of epochs, or
`{"distributed": {"cuda_devices": [0, 1]}}` for multi-GPU training). Before any training the
command checks the arguments, the config and that every run's data files exist, so a mistake
leaves no run folder behind. A run that finished earlier is reused and an interrupted one resumed
(`stsn_allennlp.experiments.runs.train_run`), so running the same command again continues a
protocol that stopped.
"""

import functools
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from allennlp.common import Params

from stsn_allennlp.experiments.report import write_report
from stsn_allennlp.experiments.runs import load_params, seed_overrides, train_run
from stsn_allennlp.experiments.statistics import SPLIT_PREFIXES, split_scores, summarize

FOLD_FIELD = "fold"
DATA_KEYS = ("train_data_path", "validation_data_path", "test_data_path")


class ProtocolError(ValueError):
    """A protocol that cannot run as asked: arguments that do not fit together or the config
    (checked before any training), or a run without the scores to report."""


@dataclass
class Result:
    """
    The scores of one run, or of one seed's cross-validation.

    # Parameters

    name : `str`
        `"fold_{k}"`, `"seed_{s}"`, `"cross-validation"` or `"run"`.
    scores : `Dict[str, float]`
        The run's scores on the protocol's split, or the mean over the folds.
    serialization_dir : `str`
        The run's folder (holding the folds' folders for a cross-validation).
    folds : `List[Result]`, optional (default = `[]`)
        The folds of a cross-validation.
    fold_std : `Optional[Dict[str, Optional[float]]]`, optional (default = `None`)
        The standard deviation over the folds of a cross-validation.
    """

    name: str
    scores: dict[str, float]
    serialization_dir: str
    folds: list["Result"] = field(default_factory=list)
    fold_std: dict[str, float | None] | None = None


def run_protocol(
    config: str,
    output_dir: Path,
    folds: int | None = None,
    seeds: Sequence[int] | None = None,
    split: str = "test",
    first_fold: int = 0,
    top_k: int | None = None,
    rank_by: str = "re_plus_f1_micro",
    overrides: Mapping[str, Any] | None = None,
    include_package: Sequence[str] = ("stsn_allennlp.components",),
) -> dict[str, Any]:
    """
    Trains every run of a protocol (see the module's docstring), writes `results.json` and
    `results.md` into `output_dir` and returns the report written as `results.json`.

    # Parameters

    config : `str`
        The jsonnet file.
    output_dir : `Path`
        The protocol's folder; the runs' folders go inside.
    folds : `Optional[int]`, optional (default = `None`)
        Cross-validate over folds `first_fold..folds-1` (the config's hidden field `fold::`).
    seeds : `Optional[Sequence[int]]`, optional (default = `None`)
        Repeat with these seeds; `None` keeps the config's seed.
    split : `str`, optional (default = `"test"`)
        The scores reported: `"test"` or `"validation"`.
    first_fold : `int`, optional (default = `0`)
        With `folds`: the first fold to train, e.g. to add folds to a cross-validation whose
        earlier folds are recorded elsewhere; the summary covers the folds trained.
    top_k : `Optional[int]`, optional (default = `None`)
        With `seeds`: also average the `top_k` best seeds by `rank_by`.
    rank_by : `str`, optional (default = `"re_plus_f1_micro"`)
        The metric that ranks the seeds.
    overrides : `Optional[Mapping[str, Any]]`, optional (default = `None`)
        Overrides of every run (AllenNLP's `-o`, dotted keys or whole entries).
    include_package : `Sequence[str]`, optional (default = `("stsn_allennlp.components",)`)
        Packages that distributed workers import.

    # Raises

    `ProtocolError`, before any training, for arguments that do not fit together or the config.
    """
    overrides = dict(overrides or {})
    _check_arguments(folds, seeds, split, top_k, first_fold)
    fold_range = range(first_fold, folds) if folds is not None else None
    _check_config(config, overrides, fold_range, split)
    runs: list[Result] = []
    seed_list: list[int | None] = list(seeds) if seeds else [None]
    for seed in seed_list:
        seed_dir = output_dir if seed is None else output_dir / f"seed_{seed}"
        train = functools.partial(
            _train,
            config,
            overrides={**overrides, **(seed_overrides(seed) if seed is not None else {})},
            split=split,
            include_package=include_package,
        )
        if fold_range is None:
            run_dir = seed_dir / "run" if seed is None else seed_dir
            runs.append(train("run" if seed is None else seed_dir.name, run_dir))
            continue
        fold_runs = [
            train(f"fold_{fold}", seed_dir / f"fold_{fold}", fields={FOLD_FIELD: fold})
            for fold in fold_range
        ]
        over_folds = summarize({run.name: run.scores for run in fold_runs})
        name = "cross-validation" if seed is None else seed_dir.name
        runs.append(Result(name, over_folds.mean, str(seed_dir), fold_runs, over_folds.std))

    if seeds:
        over, summary = "seeds", summarize({run.name: run.scores for run in runs}, top_k, rank_by)
    elif folds:
        over, summary = "folds", summarize({run.name: run.scores for run in runs[0].folds})
    else:
        over, summary = "runs", summarize({run.name: run.scores for run in runs})
    report = {
        "config": config,
        "description": _description(fold_range, seeds),
        "split": split,
        "folds": folds,
        "first_fold": first_fold,
        "seeds": list(seeds) if seeds else None,
        "overrides": overrides,
        "runs": [asdict(run) for run in runs],
        "summary": {"over": over, **asdict(summary)},
    }
    output_dir.mkdir(parents=True, exist_ok=True)
    write_report(report, output_dir)
    return report


def _train(
    config: str,
    name: str,
    serialization_dir: Path,
    *,
    overrides: Mapping[str, Any],
    split: str,
    include_package: Sequence[str],
    fields: Mapping[str, Any] | None = None,
) -> Result:
    """Trains (or reuses, or resumes) one run and returns its scores on `split`."""
    metrics = train_run(config, serialization_dir, overrides, fields, include_package)
    scores = split_scores(metrics, split)
    if not scores:
        raise ProtocolError(f"{serialization_dir / 'metrics.json'} has no {split} scores")
    return Result(name, scores, str(serialization_dir))


def _check_arguments(
    folds: int | None,
    seeds: Sequence[int] | None,
    split: str,
    top_k: int | None,
    first_fold: int,
) -> None:
    if folds is not None and folds < 1:
        raise ProtocolError(f"the number of folds must be positive, got {folds}")
    if first_fold and (folds is None or not 0 <= first_fold < folds):
        raise ProtocolError(
            f"the first fold must lie in [0, folds) with --folds, got {first_fold} of {folds}"
        )
    if seeds is not None and len(set(seeds)) != len(seeds):
        raise ProtocolError(f"the seeds must differ, got {list(seeds)}")
    if split not in SPLIT_PREFIXES:
        raise ProtocolError(f"split must be one of {sorted(SPLIT_PREFIXES)}, got {split!r}")
    if top_k is not None and not seeds:
        raise ProtocolError("a top-k mean ranks seeds: give --seeds with --top-k")
    if top_k is not None and not 1 <= top_k <= len(seeds or ()):
        raise ProtocolError(f"--top-k must lie in [1, {len(seeds or ())}] (the seeds), got {top_k}")


def _check_config(
    config: str, overrides: Mapping[str, Any], folds: range | None, split: str
) -> None:
    """Checks, from the evaluated config, that it reports `split`, reads the fold, and that the
    data files of every run (of each fold in `folds`) exist."""
    params = _params(config, overrides, folds[0] if folds else None)
    if split == "test" and not (params.get("test_data_path") and params.get("evaluate_on_test")):
        raise ProtocolError(
            f"{config} evaluates no test set after training (test_data_path with "
            "evaluate_on_test: true): report --split validation, or add a test set with -o"
        )
    if split == "validation" and not params.get("validation_data_path"):
        raise ProtocolError(f"{config} has no validation_data_path: report --split test")
    runs = [params] + [_params(config, overrides, fold) for fold in (folds or [])[1:]]
    if len(runs) > 1 and params.as_dict() == runs[1].as_dict():
        raise ProtocolError(
            f"{config} has no field {FOLD_FIELD}:: that changes its data: its folds would be the "
            "same run"
        )
    missing = sorted({path for run in runs for path in _local_data_paths(run) if not path.exists()})
    if missing:
        raise ProtocolError(
            f"{config} reads data files that do not exist: {', '.join(map(str, missing))}. Put "
            "the data sets in place with `python -m stsn_allennlp.data.prepare --from DIR`, or "
            "set data_dir:: in a config of your own (docs/training.md)"
        )


def _local_data_paths(params: Params) -> list[Path]:
    """The data files a run reads from the local disk (AllenNLP also reads URLs)."""
    paths = [params.get(key) for key in DATA_KEYS]
    return [Path(path) for path in paths if isinstance(path, str) and "://" not in path]


def _params(config: str, overrides: Mapping[str, Any], fold: int | None) -> Params:
    try:
        return load_params(config, overrides, None if fold is None else {FOLD_FIELD: fold})
    except RuntimeError as error:  # jsonnet's, e.g. an invalid fold
        raise ProtocolError(f"{config} does not evaluate: {error}") from None


def _description(folds: range | None, seeds: Sequence[int] | None) -> str:
    parts = []
    if folds and folds.start:
        which = f"fold {folds.start}" if len(folds) == 1 else f"folds {folds.start}-{folds[-1]}"
        parts.append(f"{which} of a cross-validation")
    elif folds:
        parts.append(f"{folds.stop}-fold cross-validation")
    if seeds:
        parts.append(f"{len(seeds)} seeds ({', '.join(map(str, seeds))})")
    return ", ".join(parts) or "one run"
