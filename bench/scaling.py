"""Time and peak memory of one STSN training step and one inference step as the sentence grows and as
the number of entities grows (one sentence per step, MiniLM encoder, 2 threads, CPU).

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
span classifier runs, its decision is fixed: `bench.model_tools.ForcedEntities`), so it scores
k (k - 1) pairs; training gets that many gold entities, 0.38 relations per entity (dev's ratio),
up to 100 sampled negative spans and 100 negative pairs, as the bench configuration sets.

    .venv/bin/python bench/scaling.py              # all points (~4 min on 2 idle cores)
    .venv/bin/python bench/scaling.py --point length inference 400   # one point, JSON on stdout
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
from typing import Any, Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    DEV_FILE,
    FULL_ARCHIVE,
    REPO_ROOT,
    RESULTS_DIR,
    RUNS_DIR,
    environment,
    environment_markdown,
    load_average,
    load_model,
    markdown_table,
    read_spert,
    require_data,
    write_report,
)

LENGTHS = [20, 50, 100, 200, 400]
ENTITY_COUNTS = [1, 5, 10, 20, 50, 100]
ENTITY_SERIES_LENGTH = 100
ENTITY_DENSITY = 0.128     # CoNLL04 dev: 893 gold entities over 6,993 words
RELATIONS_PER_ENTITY = 0.38  # CoNLL04 dev: 343 relations over 893 entities
VOCABULARY_DIR = RUNS_DIR / "scaling" / "vocabulary"


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


def synthetic_sentence(num_words: int, num_entities: int, entity_types: List[str], relation_types: List[str]):
    """Words from the dev set, `num_entities` evenly spaced single-word entities and some relations."""
    words: List[str] = []
    for record in read_spert(DEV_FILE):
        words += record["tokens"]
        if len(words) >= num_words:
            break
    words = (words * (num_words // max(len(words), 1) + 1))[:num_words]
    k = min(num_entities, num_words)
    entities = [((i * num_words) // k, (i * num_words) // k + 1, entity_types[i % len(entity_types)]) for i in range(k)]
    num_relations = min(round(RELATIONS_PER_ENTITY * k), k // 2)
    relations = [(2 * i, 2 * i + 1, relation_types[i % len(relation_types)]) for i in range(num_relations)]
    return words, entities, relations


def run_point(kind: str, mode: str, value: int, repeats: int, archive: Path) -> Dict[str, Any]:
    """Measures one point in this process (meant to be a fresh one)."""
    import torch

    from bench.model_tools import ForcedEntities, tensorize

    torch.manual_seed(13)
    model, train_reader, predict_reader, _ = load_model(archive, vocabulary_dir=VOCABULARY_DIR)
    vocab = model.vocab
    num_words = value if kind == "length" else ENTITY_SERIES_LENGTH
    num_entities = round(ENTITY_DENSITY * value) if kind == "length" else value
    entity_types = [t for t in vocab.get_token_to_index_vocabulary("entity_labels") if t != "NoneEntity"]
    relation_types = list(vocab.get_token_to_index_vocabulary("relation_labels"))
    words, entities, relations = synthetic_sentence(num_words, num_entities, entity_types, relation_types)
    embedder = model._text_field_embedder

    if mode == "inference":
        ForcedEntities.install(model, lambda n: len(entities))
        batch = tensorize([predict_reader.text_to_instance(words)], vocab, predict_reader)
        model.eval()

        def step() -> Any:
            with torch.inference_mode():
                return model(**batch)

        def encoder_step() -> Any:
            with torch.inference_mode():
                return embedder(batch["tokens"])
    else:
        batch = tensorize([train_reader.text_to_instance(words, entities, relations)], vocab, train_reader)
        model.train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-5)

        def step() -> Any:
            optimizer.zero_grad(set_to_none=True)
            model(**batch)["loss"].backward()
            optimizer.step()

        encoder_optimizer = torch.optim.AdamW(embedder.parameters(), lr=1e-5)

        def encoder_step() -> Any:
            encoder_optimizer.zero_grad(set_to_none=True)
            embedder(batch["tokens"]).pow(2).mean().backward()
            encoder_optimizer.step()

    baseline = memory_MB("VmRSS")
    exact = reset_peak()
    start = time.perf_counter()
    output = step()
    first = time.perf_counter() - start
    peak = memory_MB("VmHWM") if exact else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        output = step()
        times.append(time.perf_counter() - start)
    encoder_times = []
    for _ in range(repeats + 1):
        start = time.perf_counter()
        encoder_step()
        encoder_times.append(time.perf_counter() - start)
    tokens = batch["tokens"]["tokens"]
    result = {
        "kind": kind, "mode": mode, "value": value, "words": num_words, "entities": len(entities),
        "relations": len(relations), "word_pieces": int(tokens["wordpiece_mask"].sum()),
        "spans": int((batch["spans"][..., 0] >= 0).sum()),
        "seconds": round(statistics.median(times), 4), "first_step_seconds": round(first, 4),
        "encoder_seconds": round(statistics.median(encoder_times[1:]), 4),
        "baseline_MB": round(baseline, 1), "step_peak_MB": round(peak, 1), "step_extra_MB": round(peak - baseline, 1),
        "peak_is_step_only": exact, "load_average": load_average(),
    }
    if mode == "inference":
        result["pairs"] = len(entities) * (len(entities) - 1)
        result["predicted_entities"] = len(output["entities"][0])
    else:
        result["pairs"] = int((batch["relation_pairs"][..., 0] >= 0).sum())
    return result


def plot(points: List[Dict[str, Any]], kind: str, path: Path) -> None:
    """Time and memory against the series' variable, training and inference, as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(11, 4.2))
    label = "sentence length (words)" if kind == "length" else f"entities in a {ENTITY_SERIES_LENGTH}-word sentence"
    for mode, colour in (("training", "tab:red"), ("inference", "tab:blue")):
        series = sorted((p for p in points if p["kind"] == kind and p["mode"] == mode), key=lambda p: p["value"])
        if not series:
            continue
        x = [p["value"] for p in series]
        time_axis.plot(x, [p["seconds"] for p in series], "o-", color=colour, label=f"STSN {mode} step")
        time_axis.plot(x, [p["encoder_seconds"] for p in series], "o--", color=colour, alpha=0.5,
                       label=f"encoder alone, {mode}")
        memory_axis.plot(x, [p["step_peak_MB"] for p in series], "o-", color=colour, label=f"{mode}: process peak")
        memory_axis.plot(x, [p["step_extra_MB"] for p in series], "o--", color=colour, alpha=0.5,
                         label=f"{mode}: above baseline")
    memory_axis.axhline(2048, color="grey", linestyle=":", label="2 GB")
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
    figure.suptitle(f"STSN scaling with {'sentence length' if kind == 'length' else 'number of entities'} (CPU, 2 threads)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def report(results: Dict[str, Any]) -> str:
    """The Markdown report."""
    points = results["points"]
    headers = ["mode", "words", "pieces", "entities", "spans", "pairs", "step s", "encoder s", "STSN/enc",
               "peak MB", "above baseline MB"]

    def rows(kind: str) -> List[List[Any]]:
        return [[p["mode"], p["words"], p["word_pieces"], p["entities"], p["spans"], p["pairs"], f"{p['seconds']:.3f}",
                 f"{p['encoder_seconds']:.3f}", f"{p['seconds'] / p['encoder_seconds']:.2f}", p["step_peak_MB"],
                 p["step_extra_MB"]]
                for p in sorted(points, key=lambda p: (p["kind"], p["mode"], p["value"])) if p["kind"] == kind]

    goal = results["goal_memory_400"]
    return "\n".join([
        "# Scaling: time and peak memory per step (one sentence, CPU)",
        "",
        environment_markdown(results["environment"]),
        f"Load average at the end: {results['load_average_at_end']} (each point records its own).",
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
        f"Goal \"peak memory for a 400-token sentence < 2 GB at inference\": {goal['peak_MB']} MB for the whole "
        f"process during the step ({goal['extra_MB']} MB above the loaded model): "
        f"**{'met' if goal['peak_MB'] < 2048 else 'not met'}**.",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--point", nargs=3, metavar=("KIND", "MODE", "VALUE"),
                        help="measure one point (length|entities, training|inference, value) and print JSON")
    parser.add_argument("--repeats", type=int, default=5, help="timed steps per point (median reported)")
    parser.add_argument("--lengths", type=int, nargs="+", default=LENGTHS)
    parser.add_argument("--entity-counts", type=int, nargs="+", default=ENTITY_COUNTS)
    parser.add_argument("--name", default="scaling")
    parser.add_argument("--archive", type=Path, default=FULL_ARCHIVE,
                        help="trained model (realistic relation scores); a fresh model when absent")
    args = parser.parse_args()
    require_data()
    if args.point:
        kind, mode, value = args.point
        print("RESULT " + json.dumps(run_point(kind, mode, int(value), args.repeats, args.archive)), flush=True)
        return

    env = environment()
    load_model(None, vocabulary_dir=VOCABULARY_DIR)  # builds and saves the vocabulary once
    plan: List[Tuple[str, str, int]] = [("length", mode, n) for n in args.lengths for mode in ("inference", "training")]
    plan += [("entities", mode, k) for k in args.entity_counts for mode in ("inference", "training")]
    points = []
    for kind, mode, value in plan:
        completed = subprocess.run(
            [sys.executable, __file__, "--point", kind, mode, str(value), "--repeats", str(args.repeats),
             "--archive", str(args.archive)],
            cwd=REPO_ROOT, capture_output=True, text=True, env=os.environ.copy(),
        )
        lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
        if completed.returncode != 0 or not lines:
            raise SystemExit(f"point {kind} {mode} {value} failed:\n{completed.stderr[-3000:]}")
        point = json.loads(lines[-1][len("RESULT "):])
        points.append(point)
        print(f"[{time.strftime('%H:%M:%S')}] {kind} {mode} {value}: {point['seconds']:.3f} s, "
              f"peak {point['step_peak_MB']} MB (+{point['step_extra_MB']})", flush=True)

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    plot(points, "length", RESULTS_DIR / f"{args.name}_length.png")
    plot(points, "entities", RESULTS_DIR / f"{args.name}_entities.png")
    longest = max((p for p in points if p["kind"] == "length" and p["mode"] == "inference"), key=lambda p: p["value"])
    results = {
        "name": args.name,
        "environment": env,
        "method": ("each point in a fresh subprocess; memory = resident set size from /proc/self/status "
                   "(peak = VmHWM reset just before the step; baseline = VmRSS with model and input loaded); "
                   f"time = median of {args.repeats} steps after one untimed step; batch of one sentence; "
                   + ("the trained full-STSN archive " + str(args.archive) if args.archive.is_file()
                    else "a fresh (untrained) model")
                   + "; entity decisions fixed as described in bench/scaling.py."),
        "points": points,
        "goal_memory_400": {"words": longest["value"], "peak_MB": longest["step_peak_MB"], "extra_MB": longest["step_extra_MB"]},
        "load_average_at_end": load_average(),
    }
    write_report(args.name, results, report(results))


if __name__ == "__main__":
    main()
