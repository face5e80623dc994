"""Time and peak memory of one STSN training step and one inference step as the sentence grows and
as the number of entities grows (one sentence per step, MiniLM encoder, 2 threads, CPU).

Every point runs in a fresh subprocess (`--point KIND MODE VALUE`), so that memory is not inherited
from earlier points. Memory is the resident set size read from /proc/self/status: `baseline` is
VmRSS once the model and the input are ready; the peak is VmHWM after the step, the high-water mark
having been reset just before it (`echo 5 > /proc/self/clear_refs`; where that is not allowed,
`getrusage().ru_maxrss`, the peak of the whole process, is used). `step_peak_MB` is the whole
process at its peak during the step (what a machine must hold to run it); `step_extra_MB` is that
minus the baseline. A training step includes AdamW's first step (it allocates the optimizer state).
Times are the median of `--repeats` steps after one untimed step; the encoder alone
(embedder forward; for training also backward and an AdamW step over its parameters, as the STSN
step has over all of its own) is timed on the same input for comparison.

Inputs: words cycle through the CoNLL04 dev sentences (real word pieces). Length series: 20, 50,
100, 200, 400 words with round(0.128 x words) entities (the dev set's gold density). Entity series:
100 words with 1 to 100 entities. Inference predicts exactly that many single-word entities (the
span classifier runs, its decision is fixed: `bench.model_tools.evenly_spaced_entities`), so it
scores k (k - 1) pairs; training gets that many gold entities, 0.38 relations per entity (dev's
ratio), up to 100 sampled negative spans and 100 negative pairs, as the bench configuration sets.

    .venv/bin/python -m bench.scaling              # all points (~4 min on 2 idle cores)
    .venv/bin/python -m bench.scaling --point length inference 400   # one point, JSON on stdout
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import torch

from bench.common import (
    FULL_ARCHIVE,
    REPO_ROOT,
    BenchData,
    add_data_arguments,
    add_output_arguments,
    build_vocabulary,
    environment,
    environment_markdown,
    load_average,
    load_model,
    reference,
    require_data,
    write_report,
)
from bench.model_tools import (
    Step,
    encoder_training_step,
    evenly_spaced_entities,
    stsn_training_step,
    tensorize,
)
from stsn_allennlp.core.reports import markdown_table
from stsn_allennlp.data import Entity, Relation, read_spert
from stsn_allennlp.data.fields import ENTITY_NAMESPACE, NONE_ENTITY, RELATION_NAMESPACE
from stsn_allennlp.models.fixed_decisions import FixedDecisionDecoder

LENGTHS = [20, 50, 100, 200, 400]
ENTITY_COUNTS = [1, 5, 10, 20, 50, 100]
ENTITY_SERIES_LENGTH = 100
DENSITY = reference("conll04_dev_density")
"""CoNLL04 dev's gold entities per word and relations per entity, which the synthetic sentences
follow."""
MEMORY_GOAL_MB = 2048
"""The goal: inference on a 400-word sentence (the longest measured) peaks under 2 GB."""


def memory_MB(field: str) -> float:
    """A memory field (VmRSS, VmHWM) of /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def reset_peak() -> bool:
    """Resets the process's resident high-water mark; False where the kernel does not allow it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def vocabulary_dir(args: argparse.Namespace) -> Path:
    """Where the points of a run find the vocabulary of a fresh model (built once per run)."""
    return args.runs_dir / "scaling" / args.name / "vocabulary"


def synthetic_sentence(
    dev_file: Path,
    num_words: int,
    num_entities: int,
    entity_types: list[str],
    relation_types: list[str],
) -> tuple[list[str], list[Entity], list[Relation]]:
    """Words from the dev set, `num_entities` evenly spaced single-word entities, some relations."""
    words: list[str] = []
    for sentence in read_spert(dev_file):
        words += sentence.tokens
        if len(words) >= num_words:
            break
    words = (words * (num_words // max(len(words), 1) + 1))[:num_words]
    k = min(num_entities, num_words)
    entities = [
        Entity((i * num_words) // k, (i * num_words) // k + 1, entity_types[i % len(entity_types)])
        for i in range(k)
    ]
    num_relations = min(round(DENSITY["relations_per_entity"] * k), k // 2)
    relations = [
        Relation(2 * i, 2 * i + 1, relation_types[i % len(relation_types)])
        for i in range(num_relations)
    ]
    return words, entities, relations


def timed(step: Step, batch: dict[str, Any], times: int) -> list[float]:
    """The seconds of `times` calls of `step` on `batch`."""
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        step(batch)
        seconds.append(time.perf_counter() - start)
    return seconds


def run_point(kind: str, mode: str, value: int, args: argparse.Namespace) -> dict[str, Any]:
    """Measures one point in this process (meant to be a fresh one)."""
    torch.manual_seed(13)
    data = BenchData.from_args(args)
    model, train_reader, predict_reader, _ = load_model(
        data, args.archive, vocabulary_dir=vocabulary_dir(args)
    )
    vocab = model.vocab
    num_words = value if kind == "length" else ENTITY_SERIES_LENGTH
    num_entities = round(DENSITY["entities_per_word"] * value) if kind == "length" else value
    entity_types = [
        t for t in vocab.get_token_to_index_vocabulary(ENTITY_NAMESPACE) if t != NONE_ENTITY
    ]
    relation_types = list(vocab.get_token_to_index_vocabulary(RELATION_NAMESPACE))
    words, entities, relations = synthetic_sentence(
        data.dev_file, num_words, num_entities, entity_types, relation_types
    )
    embedder = model.text_field_embedder

    if mode == "inference":
        model.decoder = FixedDecisionDecoder(
            model.decoder, entities=evenly_spaced_entities(vocab, lambda n: len(entities))
        )
        batch = tensorize([predict_reader.text_to_instance(words)], vocab, predict_reader)
        model.eval()
        step: Step = torch.inference_mode()(lambda batch: model(**batch))
        encoder_step: Step = torch.inference_mode()(lambda batch: embedder(batch["tokens"]))
    else:
        batch = tensorize(
            [train_reader.text_to_instance(words, entities, relations)], vocab, train_reader
        )
        step = stsn_training_step(model)
        encoder_step = encoder_training_step(embedder)

    baseline = memory_MB("VmRSS")
    exact = reset_peak()
    first = timed(step, batch, 1)[0]
    peak = (
        memory_MB("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    )
    times = timed(step, batch, args.repeats)
    encoder_times = timed(encoder_step, batch, args.repeats + 1)
    tokens = batch["tokens"]["tokens"]
    result = {
        "kind": kind,
        "mode": mode,
        "value": value,
        "words": num_words,
        "entities": len(entities),
        "relations": len(relations),
        "word_pieces": int(tokens["wordpiece_mask"].sum()),
        "spans": int((batch["spans"][..., 0] >= 0).sum()),
        "seconds": round(statistics.median(times), 4),
        "first_step_seconds": round(first, 4),
        "encoder_seconds": round(statistics.median(encoder_times[1:]), 4),
        "baseline_MB": round(baseline, 1),
        "step_peak_MB": round(peak, 1),
        "step_extra_MB": round(peak - baseline, 1),
        "peak_is_step_only": exact,
        "load_average": load_average(),
    }
    result["stsn_over_encoder"] = round(result["seconds"] / result["encoder_seconds"], 2)
    if mode == "inference":
        result["pairs"] = len(entities) * (len(entities) - 1)
        result["predicted_entities"] = len(step(batch)["entities"][0])
    else:
        result["pairs"] = int((batch["relation_pairs"][..., 0] >= 0).sum())
    return result


def point_in_subprocess(
    kind: str, mode: str, value: int, args: argparse.Namespace
) -> dict[str, Any]:
    """`run_point` in a fresh `python -m bench.scaling --point ...` process."""
    command = [
        sys.executable,
        "-m",
        "bench.scaling",
        "--point",
        kind,
        mode,
        str(value),
        "--repeats",
        str(args.repeats),
        "--archive",
        str(args.archive),
        "--name",
        args.name,
        "--runs-dir",
        str(args.runs_dir),
        *BenchData.from_args(args).as_arguments(),
    ]
    completed = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, env=os.environ.copy()
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    if completed.returncode != 0 or not lines:
        raise SystemExit(f"point {kind} {mode} {value} failed:\n{completed.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT ") :])


def plot(points: list[dict[str, Any]], kind: str, path: Path) -> None:
    """Time and memory against the series' variable, training and inference, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(11, 4.2))
    label = (
        "sentence length (words)"
        if kind == "length"
        else f"entities in a {ENTITY_SERIES_LENGTH}-word sentence"
    )
    for mode, colour in (("training", "tab:red"), ("inference", "tab:blue")):
        series = sorted(
            (p for p in points if p["kind"] == kind and p["mode"] == mode), key=lambda p: p["value"]
        )
        if not series:
            continue
        x = [p["value"] for p in series]
        # (axis, measurement, solid line, legend): dashed lines are the fainter companions
        curves = (
            (time_axis, "seconds", True, f"STSN {mode} step"),
            (time_axis, "encoder_seconds", False, f"encoder alone, {mode}"),
            (memory_axis, "step_peak_MB", True, f"{mode}: process peak"),
            (memory_axis, "step_extra_MB", False, f"{mode}: above baseline"),
        )
        for axis, key, solid, legend in curves:
            axis.plot(
                x,
                [p[key] for p in series],
                "o-" if solid else "o--",
                color=colour,
                alpha=1.0 if solid else 0.5,
                label=legend,
            )
    memory_axis.axhline(
        MEMORY_GOAL_MB, color="grey", linestyle=":", label=f"goal: {MEMORY_GOAL_MB} MB"
    )
    ticks = sorted({p["value"] for p in points if p["kind"] == kind})
    for axis in (time_axis, memory_axis):
        axis.set_xscale("log")
        axis.set_xticks(ticks)
        axis.xaxis.set_major_formatter(matplotlib.ticker.ScalarFormatter())
        axis.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        axis.set_xlabel(label)
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=7)
    time_axis.set_yscale("log")
    time_axis.set_ylabel("seconds per step (batch of 1)")
    memory_axis.set_ylabel("resident memory during the step (MB)")
    variable = "sentence length" if kind == "length" else "number of entities"
    figure.suptitle(f"STSN scaling with {variable} (CPU, 2 threads)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def report(results: dict[str, Any]) -> str:
    """The Markdown report."""
    points = results["points"]
    headers = [
        "mode",
        "words",
        "pieces",
        "entities",
        "spans",
        "pairs",
        "step s",
        "encoder s",
        "STSN/enc",
        "peak MB",
        "above baseline MB",
    ]

    def rows(kind: str) -> list[list[Any]]:
        return [
            [
                p["mode"],
                p["words"],
                p["word_pieces"],
                p["entities"],
                p["spans"],
                p["pairs"],
                f"{p['seconds']:.3f}",
                f"{p['encoder_seconds']:.3f}",
                f"{p['stsn_over_encoder']:.2f}",
                p["step_peak_MB"],
                p["step_extra_MB"],
            ]
            for p in sorted(points, key=lambda p: (p["kind"], p["mode"], p["value"]))
            if p["kind"] == kind
        ]

    goal = results["goal_memory_400"]
    return "\n".join(
        [
            "# Scaling: time and peak memory per step (one sentence, CPU)",
            "",
            environment_markdown(results["environment"]),
            f"Load average at the end: {results['load_average_at_end']} "
            "(each point records its own).",
            "",
            f"Method: {results['method']}",
            "",
            "## Sentence length",
            "",
            f"![scaling with length]({results['name']}_length.png)",
            "",
            markdown_table(headers, rows("length")),
            "",
            "## Number of entities",
            "",
            f"![scaling with entities]({results['name']}_entities.png)",
            "",
            markdown_table(headers, rows("entities")),
            "",
            f'Goal "peak memory for a {goal["words"]}-word sentence < {goal["goal_MB"]} MB at '
            f'inference": {goal["peak_MB"]} MB for the whole process during the step '
            f"({goal['extra_MB']} MB above the loaded model): "
            f"**{'met' if goal['met'] else 'not met'}**.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--point",
        nargs=3,
        metavar=("KIND", "MODE", "VALUE"),
        help="measure one point (length|entities, training|inference, value) and print JSON",
    )
    parser.add_argument(
        "--repeats", type=int, default=5, help="timed steps per point (median reported)"
    )
    parser.add_argument("--lengths", type=int, nargs="+", default=LENGTHS)
    parser.add_argument("--entity-counts", type=int, nargs="+", default=ENTITY_COUNTS)
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="measure every point in this process: quicker, but memory then includes what "
        "earlier points left (quick runs)",
    )
    parser.add_argument("--name", default="scaling", help="result file name")
    parser.add_argument(
        "--archive",
        type=Path,
        default=FULL_ARCHIVE,
        help="trained model (realistic relation scores); a fresh model when absent",
    )
    add_data_arguments(parser)
    add_output_arguments(parser, runs=True)
    args = parser.parse_args()
    data = require_data(BenchData.from_args(args))
    if args.point:
        kind, mode, value = args.point
        print("RESULT " + json.dumps(run_point(kind, mode, int(value), args)), flush=True)
        return

    env = environment()
    build_vocabulary(data).save_to_files(str(vocabulary_dir(args)))
    plan: list[tuple[str, str, int]] = [
        ("length", mode, n) for n in args.lengths for mode in ("inference", "training")
    ]
    plan += [
        ("entities", mode, k) for k in args.entity_counts for mode in ("inference", "training")
    ]
    measure_point = run_point if args.in_process else point_in_subprocess
    points = []
    for kind, mode, value in plan:
        point = measure_point(kind, mode, value, args)
        points.append(point)
        print(
            f"[{time.strftime('%H:%M:%S')}] {kind} {mode} {value}: {point['seconds']:.3f} s, "
            f"peak {point['step_peak_MB']} MB (+{point['step_extra_MB']})",
            flush=True,
        )

    args.output_dir.mkdir(parents=True, exist_ok=True)
    plot(points, "length", args.output_dir / f"{args.name}_length.png")
    plot(points, "entities", args.output_dir / f"{args.name}_entities.png")
    longest = max(
        (p for p in points if p["kind"] == "length" and p["mode"] == "inference"),
        key=lambda p: p["value"],
    )
    results = {
        "name": args.name,
        "environment": env,
        "method": (
            "each point in "
            + ("this process" if args.in_process else "a fresh subprocess")
            + "; memory = resident set size from /proc/self/status "
            "(peak = VmHWM reset just before the step; baseline = VmRSS with model and input "
            "loaded); "
            f"time = median of {args.repeats} steps after one untimed step; batch of one sentence; "
            + (
                "the trained full-STSN archive " + str(args.archive)
                if args.archive.is_file()
                else "a fresh (untrained) model"
            )
            + "; entity decisions fixed as described in bench/scaling.py."
        ),
        "points": points,
        "goal_memory_400": {
            "words": longest["value"],
            "peak_MB": longest["step_peak_MB"],
            "extra_MB": longest["step_extra_MB"],
            "goal_MB": MEMORY_GOAL_MB,
            "met": longest["step_peak_MB"] < MEMORY_GOAL_MB,
        },
        "load_average_at_end": load_average(),
    }
    write_report(args.output_dir, args.name, results, report)


if __name__ == "__main__":
    main()
