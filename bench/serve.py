"""Load on the HTTP service (`python -m stsn_allennlp.serve`): throughput against the predictor's
own, latency, memory, and that nothing is lost.

One run, every figure measured on the same archive and machine. The predictor runs in this
process on the dev sentences (CoNLL04 by default, 231 sentences of 3 to 111 words, shuffled with a
fixed seed); its batched answers are the references. Two servers are started by the README's
command: one with its default settings (**batched**) and one with `--max-batch 1` (each request
alone: **unbatched**, for the gain of batching). Then `--rounds` rounds, each of:

1. the predictor, batched: all sentences through `predict_batch_json` at once (sorted by length
   into batches of 32: its best case);
2. each server under load: `--clients` concurrent clients (asyncio + httpx, one connection each,
   all to 127.0.0.1) send `--requests` requests between them, each one sentence as
   `{"tokens": [...]}`, every `BAD_EVERY`-th a bad request (an invalid field, an unknown field,
   invalid JSON, non-UTF-8, too many words, a body over the size limit); a round of a server
   stops after its requests or after `--time-limit` seconds, whichever comes first;
3. the predictor, one sentence at a time (`predict_json`).

Interleaving keeps the comparison fair on a machine whose other load changes from minute to
minute; each ratio is taken within a round, and the medians are reported. Last, the batching
server is **soaked** (`--soak-seconds`, 0 to skip): the same load, cycling over the requests, its
memory (VmRSS) sampled every `SAMPLE_SECONDS`.

Reported: sentences/s (good requests answered per second of wall-clock time), latency p50/p95/p99
of good requests, the server's peak memory (VmHWM) and the sentences per model call (`/health`);
errors: a good request not answered 200, a bad request not refused with its status, and **wrong
answers**: a good answer whose entities or relations (types, boundaries, arguments) differ from
the predictor's. Batching moves scores by float rounding (the largest difference is reported), not
decisions.

    python -m bench.serve                   # writes bench/results/serve.{json,md} (~5 min + soak)
    python -m bench.serve --soak-seconds 600
"""

import argparse
import asyncio
import json
import random
import shlex
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import httpx

from bench.common import (
    DEV_FILE,
    FULL_ARCHIVE,
    REPO_ROOT,
    add_output_arguments,
    environment,
    environment_markdown,
    load_average,
    write_report,
)
from stsn_allennlp.core.reports import markdown_table
from stsn_allennlp.data import read_spert
from stsn_allennlp.predictors import StsnPredictor
from stsn_allennlp.serve.process import ServerProcess
from stsn_allennlp.serve.settings import ServeSettings

GOALS = {"throughput_vs_predictor_batched": 0.8, "soak_memory_drift": 0.05, "wrong_answers": 0}
"""The issue's goals: at least 0.8x the predictor's batched throughput, memory flat over the soak
(the last minute's mean RSS within 5% of the first minute's, after a minute of warm-up), zero
wrong answers."""
BAD_EVERY = 20
SAMPLE_SECONDS = 5.0
SEED = 13
DEFAULTS = ServeSettings(archive="")
TRANSPORT_ERROR = -1
"""The status recorded for a request whose connection failed (no HTTP answer)."""


@dataclass(frozen=True)
class Request:
    """One request of the load: its body, the status it must get, and for a good one the index of
    its sentence."""

    kind: str
    body: bytes
    status: int
    sentence: int | None = None


def bad_requests() -> list[Request]:
    """One of each refusal the server must give (with its default limits)."""
    encode = json.dumps
    return [
        Request("invalid field", encode({"sentence": 3}).encode(), 422),
        Request("unknown field", encode({"text": "John works."}).encode(), 422),
        Request("invalid JSON", b'{"tokens": ["John", ', 422),
        Request("not UTF-8", b'{"sentence": "Z\xebe"}', 400),
        Request(
            "too many words",
            encode({"tokens": ["word"] * (DEFAULTS.max_words + 1)}).encode(),
            413,
        ),
        Request(
            "body too large",
            encode({"sentence": "a " * DEFAULTS.max_body_bytes}).encode(),
            413,
        ),
    ]


def build_requests(sentences: Sequence[list[str]], count: int) -> list[Request]:
    """`count` requests: the sentences in turn, every `BAD_EVERY`-th a bad request in turn."""
    bad = bad_requests()
    requests = []
    for number in range(count):
        if number % BAD_EVERY == BAD_EVERY - 1:
            requests.append(bad[(number // BAD_EVERY) % len(bad)])
        else:
            index = (number - number // BAD_EVERY) % len(sentences)
            body = json.dumps({"tokens": sentences[index]}).encode()
            requests.append(Request("good", body, 200, index))
    return requests


def decisions(record: dict[str, Any]) -> tuple:
    """What a prediction decides: its entities' types and boundaries, its relations."""
    return (
        [(e["type"], e["start"], e["end"]) for e in record["entities"]],
        [(r["type"], r["head"], r["tail"]) for r in record["relations"]],
    )


def score_difference(record: dict[str, Any], reference: dict[str, Any]) -> float:
    pairs = zip(
        record["entities"] + record["relations"],
        reference["entities"] + reference["relations"],
        strict=True,
    )
    return max((abs(a["score"] - b["score"]) for a, b in pairs), default=0.0)


async def send_all(
    url: str, requests: Sequence[Request], clients: int, time_limit: float, cycle: bool = False
) -> list[tuple[Request, int, float, Any]]:
    """
    Sends the requests from `clients` concurrent clients; returns `(request, status, seconds,
    answer)` for each answered. Stops when the requests are sent (or, with `cycle`, goes round
    them again) or when `time_limit` seconds have passed.
    """
    deadline = time.monotonic() + time_limit
    sent = 0
    answers: list[tuple[Request, int, float, Any]] = []

    async def client() -> None:
        nonlocal sent
        async with httpx.AsyncClient(timeout=120) as session:
            while time.monotonic() < deadline and (cycle or sent < len(requests)):
                request = requests[sent % len(requests)]
                sent += 1
                start = time.perf_counter()
                try:
                    response = await session.post(
                        url + "/predict",
                        content=request.body,
                        headers={"Content-Type": "application/json"},
                    )
                except httpx.TransportError:  # counted: a good request unanswered, a bad one
                    answers.append((request, TRANSPORT_ERROR, 0.0, None))  # not refused
                    continue
                seconds = time.perf_counter() - start
                answer = response.json() if response.status_code == 200 else None
                answers.append((request, response.status_code, seconds, answer))

    await asyncio.gather(*(client() for _ in range(clients)))
    return answers


def memory_mb(pid: int, field: str) -> float:
    """`VmRSS` or `VmHWM` of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def check(
    answers: Sequence[tuple[Request, int, float, Any]], references: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """Errors among the answers: good requests not answered, bad ones not refused as they must
    be, wrong answers; and the largest score difference."""
    good = [a for a in answers if a[0].kind == "good"]
    failed = sum(status != 200 for _, status, _, _ in good)
    wrong = 0
    largest = 0.0
    for request, status, _, answer in good:
        if status == 200:
            assert request.sentence is not None
            reference = references[request.sentence]
            if decisions(answer) != decisions(reference):
                wrong += 1
            else:
                largest = max(largest, score_difference(answer, reference))
    misrefused = {}
    for request, status, _, _ in answers:
        if request.kind != "good" and status != request.status:
            misrefused[request.kind] = status
    return {
        "good_requests": len(good),
        "bad_requests": len(answers) - len(good),
        "good_not_answered": failed,
        "bad_not_refused_as_expected": misrefused,
        "wrong_answers": wrong,
        "largest_score_difference": largest,
    }


def figures(
    answers: Sequence[tuple[Request, int, float, Any]],
    references: Sequence[dict[str, Any]],
    seconds: float,
) -> dict[str, Any]:
    latencies = sorted(s for r, status, s, _ in answers if r.kind == "good" and status == 200)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else []
    result = check(answers, references)
    result.update(
        seconds=round(seconds, 2),
        sentences_per_second=round(len(latencies) / seconds, 2),
        latency_ms={
            name: round(1000 * (cuts[q - 1] if cuts else latencies[0]), 1)
            for name, q in (("p50", 50), ("p95", 95), ("p99", 99))
        }
        if latencies
        else {},
    )
    return result


def soak(
    server: ServerProcess,
    requests: Sequence[Request],
    references: Sequence[dict[str, Any]],
    clients: int,
    seconds: float,
) -> dict[str, Any] | None:
    """The server kept under the same load for `seconds` (cycling over the requests), its RSS
    sampled every `SAMPLE_SECONDS`; `None` for 0 seconds."""
    if seconds <= 0:
        return None
    samples: list[tuple[float, float]] = []
    stop = threading.Event()

    def sample() -> None:
        begin = time.monotonic()
        while not stop.is_set():
            samples.append((round(time.monotonic() - begin, 1), memory_mb(server.pid, "VmRSS")))
            stop.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.perf_counter()
    answers = asyncio.run(send_all(server.url, requests, clients, seconds, cycle=True))
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    result = figures(answers, references, elapsed)
    first = [rss for t, rss in samples if 60 <= t < 120]
    last = [rss for t, rss in samples if t >= samples[-1][0] - 60]
    drift = statistics.mean(last) / statistics.mean(first) - 1 if first and last else None
    result.update(
        requests_sent=len(answers),
        peak_memory_mb=round(memory_mb(server.pid, "VmHWM"), 1),
        rss_mb_samples=[[t, round(rss, 1)] for t, rss in samples],
        rss_second_minute_mb=round(statistics.mean(first), 1) if first else None,
        rss_last_minute_mb=round(statistics.mean(last), 1) if last else None,
        memory_drift=round(drift, 4) if drift is not None else None,
    )
    return result


def predictor_pass(predictor: StsnPredictor, inputs: Sequence[dict], batched: bool) -> float:
    """Sentences per second of one pass over `inputs`: at once, or one at a time."""
    start = time.perf_counter()
    if batched:
        predictor.predict_batch_json(list(inputs))
    else:
        for item in inputs:
            predictor.predict_json(item)
    return len(inputs) / (time.perf_counter() - start)


def server_figures(
    server: ServerProcess,
    answers: Sequence[tuple[Request, int, float, Any]],
    references: Sequence[dict[str, Any]],
    seconds: float,
    rates: Sequence[float],
) -> dict[str, Any]:
    """The figures of a server's rounds, and its batching counters and peak memory."""
    health = httpx.get(server.url + "/health").json()
    result = figures(answers, references, seconds)
    result.update(
        options=server.command[5:],
        rounds_sentences_per_second=[round(rate, 2) for rate in rates],
        sentences_per_second=round(statistics.median(rates), 2),
        peak_memory_mb=round(memory_mb(server.pid, "VmHWM"), 1),
        model_calls=health["model_calls"],
        sentences_per_model_call=round(health["sentences"] / max(health["model_calls"], 1), 2),
    )
    return result


def measure(args: argparse.Namespace, sentences: Sequence[list[str]]) -> dict[str, Any]:
    """The predictor and the servers, interleaved round by round (see the module's docstring)."""
    predictor = cast(StsnPredictor, StsnPredictor.from_path(args.archive))
    inputs = [{"tokens": tokens} for tokens in sentences]
    predictor.predict_batch_json(inputs[:8])  # warm-up
    references = predictor.predict_batch_json(inputs)
    requests = build_requests(sentences, args.requests)
    options = shlex.split(args.serve_options)
    kinds = {"batched": options, "unbatched": [*options, "--max-batch", "1"]}
    if not args.unbatched:
        del kinds["unbatched"]
    rates: dict[str, list[float]] = {name: [] for name in ["predictor_batched", *kinds]}
    rates["predictor_one_at_a_time"] = []
    answers: dict[str, list] = {name: [] for name in kinds}
    seconds = dict.fromkeys(kinds, 0.0)
    with ExitStack() as stack:
        servers = {
            name: stack.enter_context(
                ServerProcess(
                    args.archive,
                    args.runs_dir / f"{args.name}_{name}.log",
                    *extra,
                    cwd=REPO_ROOT,
                )
            )
            for name, extra in kinds.items()
        }
        for number in range(args.rounds):
            rates["predictor_batched"].append(predictor_pass(predictor, inputs, batched=True))
            for name, server in servers.items():
                start = time.perf_counter()
                got = asyncio.run(send_all(server.url, requests, args.clients, args.time_limit))
                elapsed = time.perf_counter() - start
                answers[name] += got
                seconds[name] += elapsed
                good = sum(r.kind == "good" and status == 200 for r, status, _, _ in got)
                rates[name].append(good / elapsed)
            rates["predictor_one_at_a_time"].append(
                predictor_pass(predictor, inputs, batched=False)
            )
            print(f"round {number + 1}: {json.dumps(rates)}", file=sys.stderr, flush=True)
        results = {
            name: server_figures(server, answers[name], references, seconds[name], rates[name])
            for name, server in servers.items()
        }
        if "unbatched" in servers:
            servers.pop("unbatched").stop()  # idle, but the soak should have the machine
        results["batched"]["soak"] = soak(
            servers["batched"], requests, references, args.clients, args.soak_seconds
        )
    ratios = [
        server / alone
        for server, alone in zip(rates["batched"], rates["predictor_batched"], strict=True)
    ]
    summary: dict[str, Any] = {
        "predictor": {
            "sentences": len(inputs),
            "batch_size": predictor.batch_size,
            "rounds_batched_sentences_per_second": [
                round(r, 2) for r in rates["predictor_batched"]
            ],
            "batched_sentences_per_second": round(statistics.median(rates["predictor_batched"]), 2),
            "one_at_a_time_sentences_per_second": round(
                statistics.median(rates["predictor_one_at_a_time"]), 2
            ),
            "entities_per_sentence": round(
                sum(len(r["entities"]) for r in references) / len(references), 2
            ),
            "relations_per_sentence": round(
                sum(len(r["relations"]) for r in references) / len(references), 2
            ),
        },
        "server": results,
        "rounds_throughput_vs_predictor_batched": [round(r, 3) for r in ratios],
        "throughput_vs_predictor_batched": round(statistics.median(ratios), 3),
    }
    if "unbatched" in results:
        gains = [
            batched / unbatched
            for batched, unbatched in zip(rates["batched"], rates["unbatched"], strict=True)
        ]
        summary["batching_gain"] = round(statistics.median(gains), 3)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.serve", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--archive", type=Path, default=FULL_ARCHIVE, help="the model archive")
    parser.add_argument("--dev-file", type=Path, default=DEV_FILE, help="SpERT JSON sentences")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=300, help="requests per server and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (medians are reported)")
    parser.add_argument(
        "--time-limit", type=float, default=300.0, help="seconds at most per server and round"
    )
    parser.add_argument(
        "--unbatched",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure a server with --max-batch 1",
    )
    parser.add_argument("--soak-seconds", type=float, default=0.0, help="0: no soak")
    parser.add_argument(
        "--serve-options",
        default="",
        help="more options of the servers, e.g. '--model-batch 4' (default: none)",
    )
    add_output_arguments(parser, runs=True)  # --output-dir; --runs-dir: the servers' logs
    parser.add_argument("--name", default="serve", help="the result files' name")
    args = parser.parse_args()
    for path in (args.archive, args.dev_file):
        if not path.exists():
            print(f"SKIPPED: {path} not found (pass --archive and --dev-file)", file=sys.stderr)
            return
    args.runs_dir.mkdir(parents=True, exist_ok=True)
    env = environment()
    sentences = [sentence.tokens for sentence in read_spert(args.dev_file)]
    random.Random(SEED).shuffle(sentences)
    results = {
        "environment": env,
        "archive": str(args.archive),
        "dev_file": str(args.dev_file),
        "clients": args.clients,
        "requests_per_round": args.requests,
        "rounds": args.rounds,
        "bad_every": BAD_EVERY,
        **measure(args, sentences),
        "load_average_at_end": load_average(),
        "goals": GOALS,
    }
    write_report(args.output_dir, args.name, results, report)


def report(results: dict[str, Any]) -> str:
    predictor, servers = results["predictor"], results["server"]
    soaked = servers["batched"]["soak"]
    blank = [""] * 6
    rows = [
        ["predictor, batched (in-process)", predictor["batched_sentences_per_second"], *blank],
        ["predictor, one at a time", predictor["one_at_a_time_sentences_per_second"], *blank],
    ]
    for name, phase in servers.items():
        rows.append(
            [
                f"server, {name}",
                phase["sentences_per_second"],
                phase["latency_ms"].get("p50", ""),
                phase["latency_ms"].get("p95", ""),
                phase["latency_ms"].get("p99", ""),
                phase["sentences_per_model_call"],
                phase["peak_memory_mb"],
                f"{phase['good_not_answered']} / {len(phase['bad_not_refused_as_expected'])} / "
                f"{phase['wrong_answers']}",
            ]
        )
    lines = [
        "# HTTP service under load (`python -m bench.serve`)",
        "",
        environment_markdown(results["environment"]),
        "",
        f"Archive `{results['archive']}`; {predictor['sentences']} sentences of "
        f"`{results['dev_file']}` (the model predicts {predictor['entities_per_sentence']} "
        f"entities and {predictor['relations_per_sentence']} relations per sentence); "
        f"{results['clients']} concurrent clients on 127.0.0.1, {results['requests_per_round']} "
        f"requests per server and round, one in {results['bad_every']} a bad request; "
        f"{results['rounds']} rounds, each: the predictor batched, each server, the predictor one "
        f"at a time. Throughputs are the medians of the rounds, latencies over all rounds. Load "
        f"average at the end: {results['load_average_at_end']}.",
        "",
        markdown_table(
            [
                "",
                "sentences/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "sentences per model call",
                "peak MB",
                "errors: good unanswered / bad kinds misrefused / wrong",
            ],
            rows,
        ),
        "",
        f"Server (batching) against the predictor's batched throughput: "
        f"**{results['throughput_vs_predictor_batched']}x** (goal "
        f"{GOALS['throughput_vs_predictor_batched']}x; rounds: "
        f"{results['rounds_throughput_vs_predictor_batched']}).",
    ]
    if "batching_gain" in results:
        lines.append(f"Gain of batching in the server: **{results['batching_gain']}x**.")
    for name, phase in servers.items():
        lines.append(
            f"Largest score difference from the predictor ({name}): "
            f"{phase['largest_score_difference']:.2g}."
        )
    if soaked:
        lines += [
            "",
            f"Soak: {soaked['seconds']:.0f} s, {soaked['requests_sent']} requests, "
            f"{soaked['sentences_per_second']} sentences/s, p99 {soaked['latency_ms'].get('p99')} "
            f"ms; RSS {soaked['rss_second_minute_mb']} MB in the second minute, "
            f"{soaked['rss_last_minute_mb']} MB in the last (drift {soaked['memory_drift']}, goal "
            f"under {GOALS['soak_memory_drift']}), peak {soaked['peak_memory_mb']} MB; errors "
            f"{soaked['good_not_answered']} / {len(soaked['bad_not_refused_as_expected'])} / "
            f"{soaked['wrong_answers']}.",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
