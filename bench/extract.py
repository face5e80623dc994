"""Throughput of `python -m stsn_allennlp.extract` against the predictor's own, with peak memory,
the cost of resuming, and dynamic int8 quantization.

One run, every figure on the same archive, sentences and machine. The corpus is synthetic: `--sentences`
CoNLL04 training sentences (cycled if more are asked for than the file has), one `{"tokens": [...]}`
per line, written under `--runs-dir` (never into the repository). Measured:

1. **ceiling**: the predictor in this process, all sentences through one `predict_batch_json` call
   (sorted by length into batches of `--batch-size`: its best case), `BENCH_THREADS` threads;
2. **extract**: the README command as a subprocess, `--workers 1`, `--workers 2` (threads split so
   that every run uses `BENCH_THREADS` in all) and, where Ray is installed, `--ray --workers 2`:
   wall-clock time from start to exit (start-up and model loading included), the rate the command
   reports for its own run, and the peak memory of its whole process tree (sum of VmRSS, sampled);
3. **resume**: the `--workers 1` command killed (SIGKILL) once half its shards are in the manifest,
   then started again; its two runs against the uninterrupted one, and a third start on the finished
   folder (it checks the shards and loads no model);
4. **quantization**: the predictor again, its linear layers quantized to int8
   (`bench.model_tools.quantize_linear`; the command does not offer it: see the README): its speed against the
   ceiling, and NER and RE+ micro F1 against the gold annotation, both models, and the agreement
   of int8 with float32 (F1 of one against the other).

    python -m bench.extract --archive PATH --sentences 2000   # writes bench/results/extract.{json,md}
"""

import argparse
import itertools
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import (
    FULL_ARCHIVE,
    REPO_ROOT,
    THREADS,
    TRAIN_FILE,
    add_output_arguments,
    environment,
    environment_markdown,
    write_report,
)
from bench.model_tools import quantize_linear
from stsn_allennlp.core.reports import markdown_table
from stsn_allennlp.core.scoring import compute_scores, count_sentences
from stsn_allennlp.core.sentence import Sentence
from stsn_allennlp.core.spert_json import parse_spert_record, read_spert
from stsn_allennlp.extract.manifest import MANIFEST
from stsn_allennlp.predictors import StsnPredictor

SAMPLE_SECONDS = 0.2
SUMMARY = re.compile(r"this run: ([\d,]+) sentences in ([\d.]+) s")


def tree_rss_mb(pid: int) -> float:
    """The resident memory of a process and all its descendants, MB (0 once it is gone)."""
    total_kb, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
        total_kb += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
        )
    return total_kb / 1024


def write_corpus(sentences: Sequence[Sentence], path: Path) -> list[dict[str, Any]]:
    """The corpus file, one `{"tokens": [...]}` per sentence; returns its inputs."""
    inputs = [{"tokens": list(sentence.tokens)} for sentence in sentences]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(item) + "\n" for item in inputs), encoding="utf-8")
    return inputs


def run_command(
    command: list[str], manifest: Path | None = None, kill_at: int = 0
) -> dict[str, Any]:
    """
    Runs the extraction command, sampling its process tree's memory, its stderr going to
    `OUT_DIR.log`; with `kill_at`, SIGKILLs it once `manifest` lists that many shards.
    """
    log = Path(command[command.index("-o") + 1] + ".log")
    started = time.monotonic()
    with open(log, "w") as printed:  # a file, not a pipe: nothing blocks while it is not read
        process = subprocess.Popen(command, cwd=REPO_ROOT, stderr=printed, start_new_session=True)
    peak, killed_with = 0.0, None
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(SAMPLE_SECONDS):
            peak = max(peak, tree_rss_mb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    while kill_at and process.poll() is None:
        shards = (
            json.loads(manifest.read_text())["shards"] if manifest and manifest.exists() else []
        )
        if len(shards) >= kill_at:
            os.killpg(process.pid, signal.SIGKILL)
            killed_with = len(shards)
            break
        time.sleep(0.05)
    process.wait()
    seconds = time.monotonic() - started
    errors = log.read_text()
    done.set()
    sampler.join()
    if killed_with is None and process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{errors[-3000:]}")
    found = SUMMARY.search(errors)
    run = {"wall_s": round(seconds, 2), "peak_tree_rss_mb": round(peak, 1)}
    if found:
        sentences, run_seconds = int(found[1].replace(",", "")), float(found[2])
        run.update(run_sentences=sentences, run_s=run_seconds)
    if killed_with is not None:
        run["killed_with_shards"] = killed_with
    return run


def extract_command(args: argparse.Namespace, corpus: Path, out: Path, *options: str) -> list[str]:
    """The README's command on the corpus, with a fresh output folder."""
    return [
        sys.executable, "-m", "stsn_allennlp.extract", str(args.archive), str(corpus),
        "-o", str(out), "--overwrite", "--no-progress",
        "--shard-size", str(args.shard_size), "--batch-size", str(args.batch_size), *options,
    ]  # fmt: skip


def predictor_pass(predictor: StsnPredictor, inputs: list[dict[str, Any]]) -> tuple[float, list]:
    """Seconds for one `predict_batch_json` over all inputs, and the records."""
    started = time.perf_counter()
    records = predictor.predict_batch_json(inputs)
    return time.perf_counter() - started, records


def scores(gold: Sequence[Sentence], records: Sequence[dict[str, Any]]) -> dict[str, float]:
    """NER and RE+ micro F1 of predicted records against `gold`."""
    predicted = [
        parse_spert_record(record, "predicted", index) for index, record in enumerate(records)
    ]
    computed = compute_scores(count_sentences(gold, predicted))
    return {key: round(computed[f"{key}_f1_micro"], 2) for key in ("ner", "re_plus")}


def measure(args: argparse.Namespace, sentences: list[Sentence]) -> dict[str, Any]:
    """Every figure of the report."""
    runs_dir = args.runs_dir / "extract"
    corpus = runs_dir / "corpus.jsonl"
    inputs = write_corpus(sentences, corpus)
    count = len(inputs)

    predictor = StsnPredictor.from_path(args.archive, batch_size=args.batch_size)
    assert isinstance(predictor, StsnPredictor)
    ceiling_s, reference = predictor_pass(predictor, inputs)
    ceiling_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    quantized = StsnPredictor.from_path(args.archive, batch_size=args.batch_size)
    assert isinstance(quantized, StsnPredictor)
    quantize_linear(quantized.model)
    int8_s, int8_records = predictor_pass(quantized, inputs)
    fp32_scores, int8_scores = scores(sentences, reference), scores(sentences, int8_records)
    as_gold = [parse_spert_record(record, "fp32", index) for index, record in enumerate(reference)]
    agreement = scores(as_gold, int8_records)

    runs: dict[str, dict[str, Any]] = {}
    for workers in args.workers:
        threads = str(max(1, THREADS // workers))
        command = extract_command(
            args,
            corpus,
            runs_dir / f"workers{workers}",
            "--workers",
            str(workers),
            "--threads",
            threads,
        )
        runs[f"workers {workers}"] = run_command(command)
    if args.ray:
        command = extract_command(
            args,
            corpus,
            runs_dir / "ray",
            "--ray",
            "--workers",
            "2",
            "--threads",
            str(max(1, THREADS // 2)),
        )
        runs["ray, workers 2"] = run_command(command)
    for run in runs.values():
        run["sentences_per_s"] = round(count / run["wall_s"], 2)
        if "run_s" in run:
            run["run_sentences_per_s"] = round(run["run_sentences"] / run["run_s"], 2)
        run["vs_ceiling"] = round(run["sentences_per_s"] * ceiling_s / count, 3)

    resume: dict[str, Any] = {}
    if args.resume:
        shards = -(-count // args.shard_size)
        threads = ("--threads", str(THREADS))
        uninterrupted = run_command(
            extract_command(args, corpus, runs_dir / "resume_uninterrupted", *threads)
        )
        out = runs_dir / "resume"
        shutil.rmtree(out, ignore_errors=True)
        command = [
            part for part in extract_command(args, corpus, out, *threads) if part != "--overwrite"
        ]
        killed = run_command(command, out / MANIFEST, kill_at=max(1, shards // 2))
        resumed = run_command(command)
        finished = run_command(command)
        resume = {
            "shards": shards,
            "uninterrupted": uninterrupted,
            "killed": killed,
            "resumed": resumed,
            "rerun_on_finished": finished,
            "overhead_s": round(killed["wall_s"] + resumed["wall_s"] - uninterrupted["wall_s"], 2),
        }

    return {
        "environment": environment(),
        "archive": str(args.archive),
        "corpus": {
            "sentences": count,
            "words": sum(len(sentence.tokens) for sentence in sentences),
            "source": str(args.train_file),
            "shard_size": args.shard_size,
            "batch_size": args.batch_size,
        },
        "ceiling": {
            "seconds": round(ceiling_s, 2),
            "sentences_per_s": round(count / ceiling_s, 2),
            "peak_rss_mb": round(ceiling_rss, 1),
        },
        "runs": runs,
        "resume": resume,
        "quantization": {
            "fp32_sentences_per_s": round(count / ceiling_s, 2),
            "int8_sentences_per_s": round(count / int8_s, 2),
            "speedup": round(ceiling_s / int8_s, 3),
            "fp32_vs_gold": fp32_scores,
            "int8_vs_gold": int8_scores,
            "difference_points": {
                key: round(int8_scores[key] - fp32_scores[key], 2) for key in fp32_scores
            },
            "int8_vs_fp32_agreement": agreement,
        },
    }


def report(results: dict[str, Any]) -> str:
    """The Markdown report, rendered from the JSON results."""
    corpus, ceiling = results["corpus"], results["ceiling"]
    lines = [
        "# Extracting from a corpus: throughput, memory, resuming, int8",
        "",
        environment_markdown(results["environment"]),
        "",
        f"Archive `{results['archive']}`; {corpus['sentences']:,} sentences of `{corpus['source']}` "
        f"(cycled; {corpus['words']:,} words) as `tokens` inputs, shards of {corpus['shard_size']}, "
        f"batches of {corpus['batch_size']}. Ceiling: the predictor's `predict_batch_json` in "
        f"one process, {ceiling['sentences_per_s']:.2f} sentences/s, peak RSS "
        f"{ceiling['peak_rss_mb']:.0f} MB. Extract runs are wall-clock, start-up included; "
        "'own rate' is the rate the command reports for its run (model loading included, Python "
        "start-up not).",
        "",
        markdown_table(
            ["run", "wall s", "sentences/s", "vs ceiling", "own rate", "peak memory (tree) MB"],
            [
                (
                    name,
                    run["wall_s"],
                    run["sentences_per_s"],
                    f"{run['vs_ceiling']:.2f}x",
                    run.get("run_sentences_per_s", "-"),
                    run["peak_tree_rss_mb"],
                )
                for name, run in results["runs"].items()
            ],
        ),
    ]
    resume = results["resume"]
    if resume:
        killed = resume["killed"]
        lines += [
            "",
            f"Resuming ({resume['shards']} shards): uninterrupted {resume['uninterrupted']['wall_s']} s; "
            f"killed with {killed.get('killed_with_shards', 'all')} shards done after {killed['wall_s']} s, "
            f"then the same command {resume['resumed']['wall_s']} s: {resume['overhead_s']} s more in "
            f"all. The command again on the finished folder: {resume['rerun_on_finished']['wall_s']} s.",
        ]
    quantization = results["quantization"]
    lines += [
        "",
        "Dynamic int8 quantization of the linear layers (`quantize_dynamic`), in process:",
        "",
        markdown_table(
            ["model", "sentences/s", "NER F1 vs gold", "RE+ F1 vs gold"],
            [
                (
                    "float32",
                    quantization["fp32_sentences_per_s"],
                    quantization["fp32_vs_gold"]["ner"],
                    quantization["fp32_vs_gold"]["re_plus"],
                ),
                (
                    "int8",
                    quantization["int8_sentences_per_s"],
                    quantization["int8_vs_gold"]["ner"],
                    quantization["int8_vs_gold"]["re_plus"],
                ),
            ],
        ),
        "",
        f"int8 runs {quantization['speedup']:.2f}x float32's speed; its difference is "
        f"{quantization['difference_points']['ner']:+.2f} NER and "
        f"{quantization['difference_points']['re_plus']:+.2f} RE+ points; against float32's own "
        f"predictions it scores NER {quantization['int8_vs_fp32_agreement']['ner']:.2f} and RE+ "
        f"{quantization['int8_vs_fp32_agreement']['re_plus']:.2f} F1 (100: the same decisions).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, default=FULL_ARCHIVE, help="the model archive")
    parser.add_argument("--sentences", type=int, default=2000, help="sentences in the corpus")
    parser.add_argument(
        "--train-file", type=Path, default=TRAIN_FILE, help="SpERT JSON to draw from"
    )
    parser.add_argument("--shard-size", type=int, default=50, help="input records per shard")
    parser.add_argument("--batch-size", type=int, default=8, help="sentences per forward pass")
    parser.add_argument(
        "--workers", type=int, nargs="*", default=[1, 2], help="local worker counts"
    )
    parser.add_argument(
        "--ray", action=argparse.BooleanOptionalAction, default=_ray_installed(), help="a Ray run"
    )
    parser.add_argument(
        "--resume", action=argparse.BooleanOptionalAction, default=True, help="the resume runs"
    )
    parser.add_argument("--name", default="extract", help="the result files' name")
    add_output_arguments(parser, runs=True)
    args = parser.parse_args()
    if not args.train_file.is_file() or not args.archive.is_file():
        print(f"SKIPPED: {args.train_file} or {args.archive} not found", file=sys.stderr)
        raise SystemExit(0)
    pool = read_spert(args.train_file)
    sentences = list(itertools.islice(itertools.cycle(pool), args.sentences))
    results = measure(args, sentences)
    write_report(args.output_dir, args.name, results, report)


def _ray_installed() -> bool:
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
