"""Accuracy at equal encoder and budget: STSN's recipes against SpERT on CoNLL04 dev and ADE.

The protocol: all-MiniLM-L6-v2, 15 epochs over conll04_train, batch 8, CPU; dev scores
after every epoch, the epoch with the best dev RE+ micro F1 kept. Each run is one recipe and one
seed. A run trains `bench/configs/conll04_minilm.jsonnet` in this process with the library's runner
(`stsn_allennlp.experiments.runs.train_run`: a finished run is reused, an interrupted one resumed),
then its kept model is evaluated on dev once per entity decoding mode (`any`: the paper's, `none`:
no overlapping entities), so that the decoding lever is measured on the very same weights.

    python -m bench.accuracy train paper:13 best:13       # train runs one after the other
    BENCH_THREADS=1 python -m bench.accuracy train best:14 &   # or two at once, one thread each
    python -m bench.accuracy summarize paper:13           # score a run trained by hand
    python -m bench.accuracy report                       # the table and plot of finished runs
    python -m bench.accuracy train paper:13 --epochs 1 --train-limit 40 --dev-limit 20 --name smoke
    python -m bench.accuracy cv best:13 best:14 --folds 5   # the estimate on unseen data

`cv` estimates accuracy on data that chose nothing: the 5-fold cross-validation over CoNLL04 train +
dev of `training_config/conll04_cv.jsonnet` (folds written by `stsn_allennlp.data.prepare`), under
the same budget, run in this process by the library's protocol
(`stsn_allennlp.experiments.protocols.run_protocol`, which resumes and reuses finished folds). Each
fold trains on 922 or 923 sentences without validation, keeps its last epoch and is scored on its
230 or 231 test sentences, then predicts them once for the RE+ of their long sentences
(`FOLD_LONG_SENTENCES` in the fold's folder); `--folds K` runs folds 0..K-1, `--first-fold F`
only F..K-1 (the report joins them to the folds it recorded before, so a machine without the
earlier run folders adds folds instead of training them again). The dev score above is biased
upwards by the choices dev made (the kept epoch, the recipe); this one is not.

Runs go to bench/runs/<name>/<recipe>_s<seed>/ (AllenNLP's `out.log` and a `summary.json` beside the
model; the evaluations' log is `<recipe>_s<seed>.log` beside the folder); cross-validations to
bench/runs/<name>/cv_<recipe>/. `report` (run after every command) collects the finished runs, the
means and the goal into bench/results/<name>.json, plots the dev curves into
bench/results/<name>_curves.png and renders bench/results/<name>.md from the JSON alone
(`--runs-dir` and `--output-dir` choose other folders).
"""

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench.common import (
    ADE_DIR,
    BENCH_DIR,
    DATA_DIR,
    REPO_ROOT,
    add_output_arguments,
    environment,
    environment_markdown,
    ext_vars,
    load_average,
    reference,
    require_data,
    write_report,
)
from bench.long_sentences import LONG_SENTENCE, long_sentence_scores
from stsn_allennlp.core.cross_validation import fold_file_name
from stsn_allennlp.core.prepare import CONLL04_CV_PREFIX, prepare_conll04
from stsn_allennlp.core.reports import markdown_table
from stsn_allennlp.core.spert_json import read_spert, read_spert_either
from stsn_allennlp.experiments.protocols import run_protocol
from stsn_allennlp.experiments.runs import METRICS_FILE, train_run

CONLL04_CONFIG = BENCH_DIR / "configs" / "conll04_minilm.jsonnet"
CV_CONFIG = BENCH_DIR / "configs" / "conll04_cv_minilm.jsonnet"
ADE_CONFIG = BENCH_DIR / "configs" / "ade_minilm.jsonnet"
EPOCHS = 15
BATCH_SIZE = 8

# Recipes as hidden fields of the training template; `"paper": True` starts from §4.1 (the
# template's `Paper` mixin), otherwise from the template's defaults, which the shipped configs use.
RECIPES: dict[str, dict[str, Any]] = {
    "paper": {"paper": True},
    "predicted_tags": {"paper": True, "gold_tag_probability": 0.0},
    "learning_rates": {"paper": True, "learning_rate": 1e-4, "task_learning_rate": 3e-4},
    "gradient_clipping": {"paper": True, "grad_norm": 1.0},
    "learning_rates_predicted_tags": {
        "paper": True,
        "learning_rate": 1e-4,
        "task_learning_rate": 3e-4,
        "gold_tag_probability": 0.0,
    },
    # the template's defaults with the CoNLL04 config's decoding (what training_config/conll04 uses),
    # as they were before the argument-type restriction (`best_argument_types`) joined them
    "best": {"entity_overlap": "none", "restrict_argument_types": False},
    "best_n0": {"entity_overlap": "none", "num_layers": 0},
    "best_shapes": {"entity_overlap": "none", "word_shape_dim": 25},
    # candidates against what the error kinds show (no gold relation between two found entities,
    # long sentences) and against epoch-to-epoch noise
    "best_ema_distance": {
        "entity_overlap": "none",
        "ema_decay": 0.997,
        "distance_embedding_dim": 25,
    },
    # the same with the max-pool of each span's tokens (long names are missed: dev NER recall
    # 46% for entities of 5-6 tokens)
    "best_ema_distance_pool": {
        "entity_overlap": "none",
        "ema_decay": 0.997,
        "distance_embedding_dim": 25,
        "pool_span_inside": True,
    },
    # every span that is no gold entity as a training negative, not 100 per sentence: a sentence
    # of 50 tokens or more has ~500 candidate spans, so 100 leave 17% of them unseen per epoch
    # (88% seen under 20 tokens), while inference scores them all
    "best_all_negatives": {"entity_overlap": "none", "negative_spans": 1200},
    # relations only between the entity types each relation type joins in training: on CV folds 3
    # and 4, 3 to 6 of the 80-134 false positive relations join types no gold relation of their
    # type ever joins (Work_For of a person and a place, Located_In of an organisation); the
    # template's defaults since it was measured
    "best_argument_types": {"entity_overlap": "none", "restrict_argument_types": True},
}
RECIPE_LABELS = {
    "paper": "paper recipe (§4.1)",
    "predicted_tags": "paper + predicted tags in training (gold_tag_probability 0)",
    "learning_rates": "paper + lr 1e-4, task lr 3e-4",
    "gradient_clipping": "paper + gradient clipping at 1.0",
    "learning_rates_predicted_tags": "paper + lr 1e-4, task lr 3e-4 + predicted tags",
    "best": "best: the shipped configs before the argument-type restriction",
    "best_shapes": "best + word shapes (25)",
    "best_n0": "best, N = 0 (no attention layers)",
    "best_ema_distance": "best + moving average of the weights (0.997) + distance embedding (25)",
    "best_ema_distance_pool": "best + moving average + distance embedding + span max-pool",
    "best_all_negatives": "best + every negative span in training (not 100 per sentence)",
    "best_argument_types": (
        "best + relations only between argument types seen in training (the shipped configs)"
    ),
}
DECODINGS = {"conll04": ("any", "none"), "ade": ("any", "nested")}  # the paper's and the data's own

GOAL = {"ner_f1_micro": 86.0, "re_plus_f1_micro": 68.0}
"""The shipped recipe's goal, decoded `none`: dev micro F1, mean of `GOAL_SEEDS` seeds."""
GOAL_SEEDS = 3
ESTIMATE_GOAL = {"re_plus_f1_micro": 66.0}
"""The shipped recipe's goal on the estimate on unseen data (the cross-validation's mean)."""
SHIPPED = ("best_argument_types", "best")
"""The shipped configs' recipe, then the same before its last inference-only change: the goal takes
each of its parts (dev, estimate) from the first that measured it. `best_argument_types` is `best`
with `restrict_argument_types`, which acts at inference and only removes relations, so on CoNLL04
(whose every gold relation type joins one pair of entity types) it cannot lower RE+."""
CURVE_SEED = 13
"""The seed whose dev curves are plotted."""

CONLL04_KEYS = (
    "ner_f1_micro",
    "re_f1_micro",
    "re_plus_f1_micro",
    "re_plus_precision_micro",
    "re_plus_recall_micro",
)
ADE_KEYS = ("ner_f1_macro", "re_plus_f1_macro", "ner_f1_micro", "re_plus_f1_micro")


def parse_run(text: str) -> tuple[str, int]:
    """`recipe:seed` (e.g. `best:14`), checked against `RECIPES`."""
    recipe, _, seed = text.partition(":")
    if recipe not in RECIPES or not seed.isdigit():
        raise argparse.ArgumentTypeError(
            f"expected RECIPE:SEED with RECIPE in {sorted(RECIPES)}, got {text!r}"
        )
    return recipe, int(seed)


def run_name(recipe: str, seed: int, dataset: str) -> str:
    return f"{dataset + '_' if dataset != 'conll04' else ''}{recipe}_s{seed}"


def run_dir(recipe: str, seed: int, args: argparse.Namespace) -> Path:
    """The folder of one run: `<runs-dir>/<name>/<run_name>`."""
    return args.runs_dir / args.name / run_name(recipe, seed, args.dataset)


@contextlib.contextmanager
def bench_variables(settings: dict[str, Any], **variables: str) -> Iterator[None]:
    """
    The bench's external variables (`ext_vars(settings)`) and `variables` in `os.environ` while a
    configuration is read and trained in this process (AllenNLP reads jsonnet's external
    variables from the environment); the environment is restored after.

    # Parameters

    settings : `Dict[str, Any]`
        Hidden fields of the training template (`STSN_BENCH_SETTINGS`).
    **variables : `str`
        Further variables, e.g. `STSN_BENCH_CV_DIR`.
    """
    values = {**ext_vars(settings), **variables}
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


def allennlp(command: str, arguments: list[str], log: Path) -> None:
    """Runs `allennlp COMMAND` with `arguments` in a subprocess, its output appended to `log`."""
    with open(log, "a") as handle:
        completed = subprocess.run(
            [sys.executable, "-m", "allennlp", command, *arguments],
            cwd=REPO_ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    if completed.returncode != 0:
        raise SystemExit(f"`allennlp {command}` failed (exit {completed.returncode}); see {log}")


def budget_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """Dotted `-o` overrides that shorten the budget (smoke tests); empty for the protocol."""
    overrides: dict[str, Any] = {}
    if args.epochs is not None:
        overrides["trainer.num_epochs"] = args.epochs
    if args.train_limit is not None:
        overrides["dataset_reader.max_instances"] = args.train_limit
    if args.dev_limit is not None:
        overrides["validation_dataset_reader.max_instances"] = args.dev_limit
    return overrides


def train(recipe: str, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    """
    Trains one run with the library's runner (`stsn_allennlp.experiments.runs.train_run`, in this
    process), then `summarize`s it. As the protocols' runs, a run that finished earlier is reused
    (and summarized with its recorded wall time) and an interrupted one resumed.
    """
    folder = run_dir(recipe, seed, args)
    config = ADE_CONFIG if args.dataset == "ade" else CONLL04_CONFIG
    finished = (folder / METRICS_FILE).exists()
    print(
        f"[{time.strftime('%H:%M:%S')}] training {folder.name} (log {folder / 'out.log'})",
        flush=True,
    )
    load_before = load_average()
    start = time.perf_counter()
    with bench_variables(settings(recipe, seed)):
        train_run(str(config), folder, budget_overrides(args))
    if finished:
        return summarize_existing(recipe, seed, args)
    timing = {
        "wall_seconds": round(time.perf_counter() - start, 1),
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "threads": os.environ.get("OMP_NUM_THREADS"),
    }
    return summarize(recipe, seed, args, timing)


def cv_dir(recipe: str, args: argparse.Namespace) -> Path:
    """The protocol folder of one recipe's cross-validation: `<runs-dir>/<name>/cv_<recipe>`."""
    return args.runs_dir / args.name / f"cv_{recipe}"


def cross_validate(recipe: str, seeds: list[int], args: argparse.Namespace) -> dict[str, Any]:
    """
    Cross-validates one recipe over folds `0..args.folds - 1` for each seed with the library's
    protocol (`stsn_allennlp.experiments.protocols.run_protocol`, in this process, which reuses
    finished folds and resumes an interrupted one); returns its `results.json`.
    """
    folds_dir = args.runs_dir / args.name / "cv_data"
    prepare_conll04(DATA_DIR, folds_dir)
    folder = cv_dir(recipe, args)
    print(f"[{time.strftime('%H:%M:%S')}] cross-validating {folder.name}", flush=True)
    with bench_variables(RECIPES[recipe], STSN_BENCH_CV_DIR=str(folds_dir)):
        results = run_protocol(
            str(CV_CONFIG),
            folder,
            folds=args.folds,
            first_fold=args.first_fold,
            seeds=seeds,
            overrides=budget_overrides(args),
        )
    score_long_sentences_of_folds(results, folds_dir)
    print(f"[{time.strftime('%H:%M:%S')}] {folder.name}: {cv_scores(results)}", flush=True)
    return results


FOLD_LONG_SENTENCES = "long_sentences.json"
"""A fold's `long_sentence_scores` on its test part, in the fold's folder."""


def score_long_sentences_of_folds(results: dict[str, Any], folds_dir: Path) -> None:
    """Writes `FOLD_LONG_SENTENCES` for each fold of a cross-validation's `results.json` that
    lacks it: its kept model predicts the fold's test part once."""
    for seed_run in results["runs"]:
        for fold in seed_run["folds"]:
            folder = Path(fold["serialization_dir"])
            if (folder / FOLD_LONG_SENTENCES).exists():
                continue
            number = int(fold["name"].removeprefix("fold_"))
            scores = predicted_long_sentence_scores(
                folder,
                folds_dir / fold_file_name(CONLL04_CV_PREFIX, number, "test"),
                folder / "test_predictions.jsonl",
                folder / "long_sentences.log",
                {},
            )
            (folder / FOLD_LONG_SENTENCES).write_text(json.dumps(scores, indent=2) + "\n")


def cv_fold_scores(results: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """The headline scores of each fold of each seed in a cross-validation's `results.json`:
    `{seed: {fold: {key: score}}}`, the seed and fold as strings (as JSON keeps them), with the
    fold's `long_sentences` where it was scored (`fold_long_sentences`)."""
    return {
        seed_run["name"].removeprefix("seed_"): {
            fold["name"].removeprefix("fold_"): {
                **{key: round(fold["scores"][key], 2) for key in CONLL04_KEYS[:3]},
                **fold_long_sentences(Path(fold["serialization_dir"])),
            }
            for fold in seed_run["folds"]
        }
        for seed_run in results["runs"]
    }


def fold_long_sentences(folder: Path) -> dict[str, Any]:
    """`{"long_sentences": scores}` from a fold's `FOLD_LONG_SENTENCES`, or nothing (a fold
    scored before it was written)."""
    path = folder / FOLD_LONG_SENTENCES
    return {"long_sentences": json.loads(path.read_text())} if path.exists() else {}


def cv_summary(fold_scores: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """
    The estimate of `fold_scores` (`cv_fold_scores`): per headline score the mean over seeds of
    each seed's mean over its folds, the standard deviation over every fold of every seed, and
    those runs' scores (seed by seed, fold by fold); the folds' long sentences together
    (`long_sentence_estimate`); with the seeds, the folds run and the scores themselves, so that
    folds run later can be added (`with_recorded_runs`).
    """
    seeds = sorted(fold_scores, key=int)
    ordered = [
        [fold_scores[seed][fold] for fold in sorted(fold_scores[seed], key=int)] for seed in seeds
    ]
    summary: dict[str, Any] = {
        "seeds": [int(seed) for seed in seeds],
        "folds": sorted({int(fold) for seed in seeds for fold in fold_scores[seed]}),
        "fold_scores": fold_scores,
    }
    for key in CONLL04_KEYS[:3]:
        values = [scores[key] for folds in ordered for scores in folds]
        summary[key] = mean([statistics.mean(scores[key] for scores in folds) for folds in ordered])
        summary[f"{key}_std"] = round(statistics.stdev(values), 2) if len(values) > 1 else None
        summary[f"{key}_runs"] = values
    summary["long_sentences"] = long_sentence_estimate(
        [
            scores["long_sentences"]
            for folds in ordered
            for scores in folds
            if "long_sentences" in scores
        ]
    )
    return summary


def long_sentence_estimate(fold_scores: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The folds' `long_sentence_scores` together: their sentences and gold relations summed, NER
    and RE+ F1 averaged over the folds (and RE+ fold by fold); None when no fold was scored."""
    if not fold_scores:
        return None
    return {
        "folds_scored": len(fold_scores),
        "sentences": sum(scores["sentences"] for scores in fold_scores),
        "gold_relations": sum(scores["gold_relations"] for scores in fold_scores),
        "ner_f1_micro": mean([scores["ner_f1_micro"] for scores in fold_scores]),
        "re_plus_f1_micro": mean([scores["re_plus_f1_micro"] for scores in fold_scores]),
        "re_plus_f1_micro_runs": [scores["re_plus_f1_micro"] for scores in fold_scores],
    }


def cv_scores(results: dict[str, Any]) -> dict[str, Any]:
    """`cv_summary` of a cross-validation's `results.json`."""
    return cv_summary(cv_fold_scores(results))


def settings(recipe: str, seed: int) -> dict[str, Any]:
    return {**RECIPES[recipe], "seed": seed}


def predicted_long_sentence_scores(
    folder: Path, gold_file: Path, predictions: Path, log: Path, overrides: dict[str, Any]
) -> dict[str, Any]:
    """
    `long_sentence_scores` of the model in `folder` on `gold_file`, from one `allennlp predict`
    (its JSON lines written to `predictions`, its output appended to `log`).

    # Parameters

    overrides : `Dict[str, Any]`
        Configuration overrides of the prediction (e.g. a limit on the sentences read).
    """
    allennlp(
        "predict",
        [
            str(folder / "model.tar.gz"),
            str(gold_file),
            "--predictor",
            "stsn",
            "--use-dataset-reader",
            "--silent",
            "--output-file",
            str(predictions),
            "-o",
            json.dumps(overrides),
        ],
        log,
    )
    return long_sentence_scores(read_spert(gold_file), read_spert_either(predictions))


def summarize(
    recipe: str, seed: int, args: argparse.Namespace, timing: dict[str, Any]
) -> dict[str, Any]:
    """Scores a trained run's kept model under each decoding and writes the run's `summary.json`."""
    dataset = args.dataset
    folder = run_dir(recipe, seed, args)
    log = folder.parent / f"{folder.name}.log"
    summary = {
        "recipe": recipe,
        "seed": seed,
        "dataset": dataset,
        "settings": settings(recipe, seed),
        "overrides": budget_overrides(args),
        **timing,
        **collect_training(folder, dataset),
        "decodings": {},
    }
    evaluation_file = str(args.dev_file if dataset == "conll04" else args.ade_test_file)
    limit = (
        {"dataset_reader.max_instances": args.dev_limit}
        if args.dev_limit and dataset == "conll04"
        else {}
    )
    for decoding in DECODINGS[dataset]:
        output = folder / f"dev_{decoding}.json"
        allennlp(
            "evaluate",
            [
                str(folder / "model.tar.gz"),
                evaluation_file,
                "--output-file",
                str(output),
                "-o",
                json.dumps({"model.entity_overlap": decoding, **limit}),
            ],
            log,
        )
        metrics = json.loads(output.read_text())
        summary["decodings"][decoding] = {key: round(metrics[key], 2) for key in keys(dataset)}
    if dataset == "conll04":
        summary["long_sentences"] = predicted_long_sentence_scores(
            folder,
            Path(evaluation_file),
            folder / "dev_predictions.jsonl",
            log,
            {f"validation_{key}": value for key, value in limit.items()},
        )
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"[{time.strftime('%H:%M:%S')}] {folder.name}: {summary['decodings']}", flush=True)
    return summary


TIMING_KEYS = ("wall_seconds", "load_average_before", "load_average_after", "threads")
"""What `train` measures of a training, which scoring the run again must keep."""


def summarize_existing(recipe: str, seed: int, args: argparse.Namespace) -> dict[str, Any]:
    """`summarize` for a finished run: the timing its `summary.json` recorded when `train` trained
    it, else (a run trained by hand) AllenNLP's training duration."""
    folder = run_dir(recipe, seed, args)
    recorded = folder / "summary.json"
    if recorded.exists():
        summary = json.loads(recorded.read_text())
        return summarize(
            recipe, seed, args, {key: summary[key] for key in TIMING_KEYS if key in summary}
        )
    metrics = json.loads((folder / METRICS_FILE).read_text())
    hours, minutes, seconds = metrics["training_duration"].split(":")
    wall = 3600 * int(hours) + 60 * int(minutes) + float(seconds)
    return summarize(
        recipe,
        seed,
        args,
        {"wall_seconds": round(wall, 1), "threads": os.environ.get("OMP_NUM_THREADS")},
    )


def keys(dataset: str) -> tuple[str, ...]:
    return ADE_KEYS if dataset == "ade" else CONLL04_KEYS


def collect_training(folder: Path, dataset: str) -> dict[str, Any]:
    """The kept epoch's scores (as validated, with the run's decoding) and the per-epoch curve."""
    metrics = json.loads((folder / "metrics.json").read_text())
    if dataset == "ade":  # no validation split: the last epoch is kept and scored on the test fold
        return {
            "best_epoch": metrics.get("epoch"),
            "kept": {key: round(metrics[f"test_{key}"], 2) for key in ADE_KEYS},
            "epochs": [],
        }
    epochs = []
    for path in sorted(
        folder.glob("metrics_epoch_*.json"), key=lambda p: int(p.stem.rsplit("_", 1)[1])
    ):
        epoch = json.loads(path.read_text())
        epochs.append(
            {
                "epoch": epoch["epoch"],
                "training_loss": round(epoch["training_loss"], 4),
                **{key: round(epoch[f"validation_{key}"], 2) for key in CONLL04_KEYS},
            }
        )
    return {
        "best_epoch": metrics["best_epoch"],
        "kept": {key: round(metrics[f"best_validation_{key}"], 2) for key in CONLL04_KEYS},
        "epochs": epochs,
    }


def mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 2)


def with_recorded_runs(
    results_path: Path, summaries: list[dict[str, Any]], cross_validations: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """
    The finished runs found on disk, plus those the previous results file records and whose run
    folders are gone (a fresh clone has no `bench/runs`), so a report never drops a figure.

    # Parameters

    results_path : `Path`
        The previous `<name>.json`, if any.
    summaries : `List[Dict[str, Any]]`
        The `summary.json` of each run folder on disk; a recorded run of the same dataset, recipe
        and seed is replaced by it.
    cross_validations : `Dict[str, Any]`
        The `cv_summary` of each cross-validation folder on disk, by recipe; its folds join the
        recorded folds of that recipe, replacing those of the same seed and fold.
    """
    if not results_path.exists():
        return summaries, cross_validations
    recorded = json.loads(results_path.read_text())
    on_disk = {(summary["dataset"], summary["recipe"], summary["seed"]) for summary in summaries}
    kept = [
        summary
        for summary in recorded["runs"]
        if (summary["dataset"], summary["recipe"], summary["seed"]) not in on_disk
    ]
    merged = {}
    for recipe in {**recorded.get("cross_validation", {}), **cross_validations}:
        fold_scores: dict[str, dict[str, dict[str, float]]] = {}
        for source in (recorded.get("cross_validation", {}), cross_validations):
            for seed, folds in source.get(recipe, {}).get("fold_scores", {}).items():
                fold_scores.setdefault(seed, {}).update(folds)
        merged[recipe] = cv_summary(fold_scores)
    return summaries + kept, merged


def own_decoding(recipe: str) -> str:
    """The decoding a recipe keeps its epoch with: `any` for the paper's recipes, else `none`."""
    return "none" if RECIPES[recipe].get("paper") is None else "any"


def conll04_by_recipe(summaries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The CoNLL04 runs of each recipe, in `RECIPES`' order, each recipe's by seed."""
    conll04 = [summary for summary in summaries if summary["dataset"] == "conll04"]
    return {
        recipe: sorted(runs, key=lambda summary: summary["seed"])
        for recipe in RECIPES
        if (runs := [summary for summary in conll04 if summary["recipe"] == recipe])
    }


def recipe_means(by_recipe: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Per recipe: its own decoding and, per decoding, the mean over seeds of each score."""
    return {
        recipe: {
            "own_decoding": own_decoding(recipe),
            "decodings": {
                decoding: {
                    key: mean([run["decodings"][decoding][key] for run in runs])
                    for key in CONLL04_KEYS[:3]
                }
                for decoding in DECODINGS["conll04"]
            },
        }
        for recipe, runs in by_recipe.items()
    }


def paired_differences(
    by_recipe: dict[str, list[dict[str, Any]]], recipe: str, other: str
) -> dict[str, float]:
    """Dev RE+ of `recipe` minus `other`'s (each with `recipe`'s own decoding), per seed both
    ran: the paired comparison, which the seeds' spread does not blur."""
    decoding = own_decoding(recipe)
    scores = {
        name: {run["seed"]: run["decodings"][decoding]["re_plus_f1_micro"] for run in runs}
        for name, runs in by_recipe.items()
        if name in (recipe, other)
    }
    if len(scores) < 2:
        return {}
    return {
        str(seed): round(scores[recipe][seed] - scores[other][seed], 2)
        for seed in sorted(scores[recipe].keys() & scores[other].keys())
    }


def goal(
    means: dict[str, Any],
    by_recipe: dict[str, list[dict[str, Any]]],
    cross_validations: dict[str, dict[str, Any]],
) -> dict[str, Any] | None:
    """The shipped recipe (decoded `none`) against `GOAL` on dev and `ESTIMATE_GOAL` on the
    cross-validation, each part from the first of `SHIPPED` that measured it (`dev_recipe`,
    `estimate_recipe`), and the paired differences of each recipe with an N = 0 ablation
    (`<recipe>_n0`) to it."""
    dev_recipe = next((recipe for recipe in SHIPPED if recipe in means), None)
    if dev_recipe is None:
        return None
    estimate_recipe = next((recipe for recipe in SHIPPED if recipe in cross_validations), None)
    best = means[dev_recipe]["decodings"]["none"]
    estimate = cross_validations[estimate_recipe] if estimate_recipe else None
    dev_met = len(by_recipe[dev_recipe]) >= GOAL_SEEDS and all(
        best[key] >= GOAL[key] for key in GOAL
    )
    estimate_met = estimate is not None and all(
        estimate[key] >= ESTIMATE_GOAL[key] for key in ESTIMATE_GOAL
    )
    return {
        "goal": GOAL,
        "goal_seeds": GOAL_SEEDS,
        "estimate_goal": ESTIMATE_GOAL,
        "dev_recipe": dev_recipe,
        "estimate_recipe": estimate_recipe,
        "seeds": len(by_recipe[dev_recipe]),
        **{key: best[key] for key in GOAL},
        "estimate": {key: estimate[key] for key in ESTIMATE_GOAL} if estimate else None,
        "met": dev_met and estimate_met,
        "n0_differences": {
            recipe: paired_differences(by_recipe, recipe, f"{recipe}_n0")
            for recipe in by_recipe
            if f"{recipe}_n0" in by_recipe
        },
    }


def collect(args: argparse.Namespace) -> dict[str, Any]:
    """Every finished run of `<runs-dir>/<name>/` (and the recorded ones, `with_recorded_runs`),
    the means and the goal the report shows, and the dev curves' plot."""
    runs = args.runs_dir / args.name
    summaries = [json.loads(path.read_text()) for path in sorted(runs.glob("*/summary.json"))]
    cross_validations = {
        path.parent.name.removeprefix("cv_"): cv_scores(json.loads(path.read_text()))
        for path in sorted(runs.glob("cv_*/results.json"))
    }
    summaries, cross_validations = with_recorded_runs(
        args.output_dir / f"{args.name}.json", summaries, cross_validations
    )
    if not summaries and not cross_validations:
        raise SystemExit(f"no finished run in {runs}")
    by_recipe = conll04_by_recipe(summaries)
    means = recipe_means(by_recipe)
    curves = plot_curves(by_recipe, args.output_dir / f"{args.name}_curves.png")
    return {
        "environment": environment(),
        "runs": summaries,
        "cross_validation": cross_validations,
        "recipe_means": means,
        "goal": goal(means, by_recipe, cross_validations),
        "curves": curves.name if curves else None,
    }


def report(results: dict[str, Any]) -> str:
    """The Markdown report of the results' JSON, beside SpERT's figures (`bench/reference.json`)."""
    by_recipe = conll04_by_recipe(results["runs"])
    lines = [
        "# Accuracy at equal encoder and budget (dev micro F1 %)",
        "",
        environment_markdown(results["environment"])
        + " Each run's wall time and thread count are in "
        "the table; runs with 1 thread ran two at a time.",
        "",
        f"Protocol: all-MiniLM-L6-v2, {EPOCHS} epochs over conll04_train (922 sentences), "
        f"batch {BATCH_SIZE}, AdamW with a linear schedule and warm-up 0.1, CPU. After each epoch "
        "the dev set is scored with the run's own decoding, and the epoch with the best dev RE+ "
        "micro F1 is kept. That model is then scored on dev once per entity decoding: `any` keeps "
        "every predicted entity (the paper), `none` keeps per sentence the highest-scoring "
        "entities that overlap no kept one (the shipped CoNLL04 decoding).",
        "",
        *recipe_lines(by_recipe, results["recipe_means"]),
        *goal_lines(results["goal"]),
        *long_sentence_lines(by_recipe),
    ]
    if results["cross_validation"]:
        lines += cv_lines(results["cross_validation"], results["recipe_means"])
    ade = [summary for summary in results["runs"] if summary["dataset"] == "ade"]
    if ade:
        lines += ade_lines(ade)
    if results["curves"]:
        lines += [
            f"Dev curves of the best and the paper recipe (seed {CURVE_SEED}): "
            f"`{results['curves']}`.",
            "",
        ]
    return "\n".join(lines)


def recipe_lines(by_recipe: dict[str, list[dict[str, Any]]], means: dict[str, Any]) -> list[str]:
    """The table of every recipe under each decoding, after SpERT's reference row."""
    spert = reference("spert_conll04_dev")
    rows: list[list[Any]] = [
        [
            "SpERT, reference code, its defaults (batch 2; first round)",
            "2",
            "-",
            spert["ner_f1_micro"],
            "-",
            spert["re_plus_f1_micro"],
            "-",
            "-",
            "-",
        ]
    ]
    for recipe, runs in by_recipe.items():
        own = means[recipe]["own_decoding"]
        for decoding in DECODINGS["conll04"]:
            scores = [run["decodings"][decoding] for run in runs]
            mean_scores = means[recipe]["decodings"][decoding]
            rows.append(
                [
                    RECIPE_LABELS[recipe]
                    + ("" if decoding == own else f", decoded `{decoding}` (same weights)"),
                    ", ".join(str(run["seed"]) for run in runs),
                    ", ".join(str(run["best_epoch"]) for run in runs),
                    *(mean_scores[key] for key in CONLL04_KEYS[:3]),
                    " / ".join(
                        f"{score['re_plus_precision_micro']:.1f}/{score['re_plus_recall_micro']:.1f}"
                        for score in scores
                    ),
                    " / ".join(
                        f"{score['ner_f1_micro']:.1f}/{score['re_plus_f1_micro']:.1f}"
                        for score in scores
                    ),
                    " / ".join(
                        f"{run['wall_seconds'] / 60:.0f} ({run['threads']} thr)" for run in runs
                    ),
                ]
            )
    return [
        markdown_table(
            [
                "recipe",
                "seeds",
                "kept epoch",
                "NER F1",
                "RE F1",
                "RE+ F1",
                "RE+ P/R per seed",
                "NER/RE+ per seed",
                "wall min (threads) per seed",
            ],
            rows,
        ),
        "",
        "Decoding is applied at inference only, so the two rows of a recipe share their weights; "
        "the kept epoch was chosen with the recipe's own decoding (paper recipes: `any`; `best`: "
        "`none`).",
        "",
    ]


def long_sentence_lines(by_recipe: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Dev scores of the sentences of at least `LONG_SENTENCE` tokens, for the runs that
    measured them (`summarize` since they were added), with the run's own decoding."""
    rows = []
    for recipe, runs in by_recipe.items():
        measured = [run for run in runs if "long_sentences" in run]
        if not measured:
            continue
        scores = [run["long_sentences"] for run in measured]
        rows.append(
            [
                RECIPE_LABELS[recipe],
                ", ".join(str(run["seed"]) for run in measured),
                mean([score["ner_f1_micro"] for score in scores]),
                mean([score["re_plus_f1_micro"] for score in scores]),
                " / ".join(f"{score['re_plus_f1_micro']:.1f}" for score in scores),
            ]
        )
    if not rows:
        return []
    sizes = scores[0]
    return [
        f"## Long sentences: dev sentences of >= {LONG_SENTENCE} tokens "
        f"({sizes['sentences']} sentences, {sizes['gold_relations']} gold relations)",
        "",
        "The kept model of each run, its own decoding; runs scored before this table existed "
        "have no entry.",
        "",
        markdown_table(["recipe", "seeds", "NER F1", "RE+ F1", "RE+ per seed"], rows),
        "",
    ]


def goal_lines(goal: dict[str, Any] | None) -> list[str]:
    """Whether the shipped recipe meets the goal, and how it compares with its N = 0 ablation."""
    if goal is None:
        return []
    target, estimate_target = goal["goal"], goal["estimate_goal"]
    estimate = goal["estimate"]
    estimate_text = "not run" if estimate is None else f"RE+ {estimate['re_plus_f1_micro']:.2f}"
    lines = [
        f"Goal: dev mean of {goal['goal_seeds']} seeds NER >= {target['ner_f1_micro']}, RE+ >= "
        f"{target['re_plus_f1_micro']}, and the estimate on unseen data RE+ >= "
        f"{estimate_target['re_plus_f1_micro']}. The shipped recipe on dev (`{goal['dev_recipe']}`, "
        f"{goal['seeds']} seed(s)): NER {goal['ner_f1_micro']:.2f}, RE+ "
        f"{goal['re_plus_f1_micro']:.2f}; its estimate"
        + ("" if estimate is None else f" (`{goal['estimate_recipe']}`)")
        + f" {estimate_text}: **{'met' if goal['met'] else 'not met'}**."
    ]
    for recipe, differences in goal["n0_differences"].items():
        per_seed = ", ".join(f"seed {seed}: {value:+.2f}" for seed, value in differences.items())
        lines.append(
            f"`{recipe}` minus its N = 0 ablation `{recipe}_n0`, dev RE+ of the same seeds: "
            f"{per_seed}."
        )
    return [*lines, ""]


def re_plus(fold: dict[str, Any]) -> float | None:
    """A fold's RE+ F1 (one fold of `cv_fold_scores`)."""
    return fold["re_plus_f1_micro"]


def long_sentence_re_plus(fold: dict[str, Any]) -> float | None:
    """A fold's RE+ F1 over its long sentences; None when they were not scored."""
    return fold["long_sentences"]["re_plus_f1_micro"] if "long_sentences" in fold else None


def cv_differences(
    scores: dict[str, Any],
    shipped: dict[str, Any],
    score: Callable[[dict[str, Any]], float | None] = re_plus,
) -> list[float]:
    """`score` (RE+ by default) of a cross-validated recipe minus `shipped`'s (`best`'s in the
    report), fold by fold for each seed and fold both ran and scored (their `cv_summary`s): the
    paired comparison on unseen data."""
    differences = []
    for seed in sorted(scores["fold_scores"], key=int):
        folds = scores["fold_scores"][seed]
        shipped_folds = shipped["fold_scores"].get(seed, {})
        for fold in sorted(folds.keys() & shipped_folds.keys(), key=int):
            own, other = score(folds[fold]), score(shipped_folds[fold])
            if own is not None and other is not None:
                differences.append(round(own - other, 2))
    return differences


def cv_lines(cross_validations: dict[str, dict[str, Any]], means: dict[str, Any]) -> list[str]:
    """The estimate on unseen data of each cross-validated recipe, beside its dev score, and its
    RE+ against `best`'s on the same folds."""
    rows = []
    shipped = cross_validations.get("best")
    for recipe, scores in cross_validations.items():
        dev = means.get(recipe)
        paired = shipped is not None and recipe != "best"
        differences = cv_differences(scores, shipped) if paired else []
        long_differences = cv_differences(scores, shipped, long_sentence_re_plus) if paired else []
        long = scores.get("long_sentences")
        rows.append(
            [
                RECIPE_LABELS[recipe],
                ", ".join(map(str, scores["seeds"])),
                ", ".join(map(str, scores["folds"])),
                *(
                    dev["decodings"][dev["own_decoding"]][key] if dev else "-"
                    for key in ("ner_f1_micro", "re_plus_f1_micro")
                ),
                *(
                    f"{scores[key]:.2f}"
                    + (f" ± {scores[key + '_std']:.2f}" if scores[key + "_std"] is not None else "")
                    for key in ("ner_f1_micro", "re_plus_f1_micro")
                ),
                " / ".join(f"{value:.1f}" for value in scores["re_plus_f1_micro_runs"]),
                " / ".join(f"{value:+.2f}" for value in differences) or "-",
                (
                    f"{long['re_plus_f1_micro']:.2f} ("
                    + " / ".join(f"{value:.1f}" for value in long["re_plus_f1_micro_runs"])
                    + ")"
                    if long
                    else "-"
                ),
                " / ".join(f"{value:+.2f}" for value in long_differences) or "-",
            ]
        )
    return [
        "## The estimate on unseen data: cross-validation over CoNLL04 train + dev",
        "",
        "Dev scores are those of the kept epoch, chosen on dev itself (mean over the dev seeds "
        "above). The estimate comes from the 5-fold cross-validation of "
        "`training_config/conll04_cv.jsonnet` (`python -m bench.accuracy cv RECIPE:SEED --folds "
        "K`): each fold trains on 922 or 923 sentences of train + dev under the same budget "
        "without validation, keeps its last epoch and is scored once on its 230 or 231 other "
        "sentences, which chose nothing. Mean over seeds of the mean over folds; ± is the "
        "standard deviation over every fold of every seed; `--first-fold F` adds folds to those "
        "recorded. Long sentences: each fold's kept model also predicts its test part "
        f"(`allennlp predict`), scored over the sentences of >= {LONG_SENTENCE} tokens; the mean "
        "over the folds so scored (folds trained before this was added have none).",
        "",
        markdown_table(
            [
                "recipe",
                "seeds",
                "folds run",
                "dev NER F1",
                "dev RE+ F1",
                "estimate NER F1",
                "estimate RE+ F1",
                "RE+ per fold and seed",
                "RE+ minus `best`'s, same folds",
                f"long sentences (>= {LONG_SENTENCE} tokens): RE+ F1 (per fold)",
                "long sentences: RE+ minus `best`'s, same folds",
            ],
            rows,
        ),
        "",
    ]


def ade_lines(runs: list[dict[str, Any]]) -> list[str]:
    """The ADE fold's rows: macro F1, as the paper reports ADE."""
    rows = [
        [
            RECIPE_LABELS[run["recipe"]] + f", decoded `{decoding}`",
            run["seed"],
            run["decodings"][decoding]["ner_f1_macro"],
            run["decodings"][decoding]["re_plus_f1_macro"],
            f"{run['wall_seconds'] / 60:.0f} ({run['threads']} thr)",
        ]
        for run in sorted(runs, key=lambda run: run["recipe"])
        for decoding in DECODINGS["ade"]
    ]
    return [
        "## ADE, fold 0 (full ADE with its overlapping entities, extended BIO tags; "
        "test fold, macro F1 %)",
        "",
        markdown_table(
            ["recipe", "seed", "NER macro F1", "RE+ macro F1", "wall min (threads)"], rows
        ),
        "",
    ]


def plot_curves(by_recipe: dict[str, list[dict[str, Any]]], path: Path) -> Path | None:
    """Per-epoch dev NER and RE+ of the best and paper recipes (seed `CURVE_SEED`), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    chosen = {
        recipe: next((run for run in by_recipe.get(recipe, []) if run["seed"] == CURVE_SEED), None)
        for recipe in ("best", "paper")
    }
    if not any(chosen.values()):
        return None
    spert = reference("spert_conll04_dev")
    figure, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True)
    panels = zip(axes, ("ner_f1_micro", "re_plus_f1_micro"), ("NER", "RE+"), strict=True)
    for axis, key, title in panels:
        for recipe, run in chosen.items():
            if run:
                axis.plot(
                    [e["epoch"] + 1 for e in run["epochs"]],
                    [e[key] for e in run["epochs"]],
                    marker="o",
                    label=RECIPE_LABELS[recipe],
                )
        axis.axhline(
            spert[key],
            color="grey",
            linestyle="--",
            label="SpERT (last epoch, mean of 2 seeds)",
        )
        axis.set(title=f"CoNLL04 dev {title} micro F1 (%)", xlabel="epoch", ylim=(0, 100))
        axis.grid(alpha=0.3)
    axes[0].legend(fontsize=7, loc="lower right")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "command",
        choices=("train", "summarize", "cv", "report"),
        help="train runs; summarize runs trained by hand; cross-validate (the estimate on "
        "unseen data); report on finished runs",
    )
    parser.add_argument("runs", nargs="*", type=parse_run, help="RECIPE:SEED, e.g. best:13 (train)")
    parser.add_argument("--dataset", choices=("conll04", "ade"), default="conll04")
    parser.add_argument("--name", default="accuracy", help="run folder and result file name")
    parser.add_argument("--epochs", type=int, help="shorter budget (smoke tests)")
    parser.add_argument(
        "--folds", type=int, default=5, help="cv: run folds 0..K-1 of the 5 (default: all)"
    )
    parser.add_argument(
        "--first-fold",
        type=int,
        default=0,
        help="cv: run folds F..K-1 only; the report adds them to the folds recorded before",
    )
    parser.add_argument(
        "--train-limit", type=int, help="only the first N training sentences (smoke tests)"
    )
    parser.add_argument(
        "--dev-limit", type=int, help="only the first N dev sentences (smoke tests)"
    )
    add_output_arguments(parser, runs=True)
    args = parser.parse_args()
    if args.command != "report":
        args.dev_file = require_data().dev_file
    args.ade_test_file = ADE_DIR / "ade_split_0_test.json"
    if args.command == "cv":
        by_recipe: dict[str, list[int]] = {}
        for recipe, seed in args.runs:
            by_recipe.setdefault(recipe, []).append(seed)
        for recipe, seeds in by_recipe.items():
            cross_validate(recipe, seeds, args)
    else:
        for recipe, seed in args.runs:
            if args.command == "train":
                train(recipe, seed, args)
            elif args.command == "summarize":
                summarize_existing(recipe, seed, args)
    results = collect(args)
    write_report(args.output_dir, args.name, results, report)


if __name__ == "__main__":
    main()
