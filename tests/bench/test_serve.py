"""`bench.serve` end to end on the fixtures, with a budget of a few seconds: the predictor's
passes, a batching and an unbatched server under load from two clients, one round, a short soak.
The figures are not checked, only what the report reads and that nothing was lost."""

import json
import os
import sys

import torch

# bench.common pins torch's threads at import: keep the test session's own count
os.environ.setdefault("BENCH_THREADS", str(torch.get_num_threads()))

from bench import serve
from tests import FIXTURE_DATA


def test_serve_loads_a_server_and_loses_nothing(monkeypatch, tmp_path, archive):
    arguments = ["--archive", str(archive), "--dev-file", str(FIXTURE_DATA / "spert_dev.json")]
    arguments += ["--clients", "2", "--requests", "41", "--rounds", "1", "--soak-seconds", "2"]
    monkeypatch.setattr(
        sys,
        "argv",
        ["bench.serve", *arguments, "--output-dir", str(tmp_path), "--runs-dir", str(tmp_path)],
    )
    serve.main()
    assert (tmp_path / "serve.md").is_file()
    result = json.loads((tmp_path / "serve.json").read_text())
    batched = result["server"]["batched"]
    assert (batched["good_requests"], batched["bad_requests"]) == (39, 2)
    assert batched["good_not_answered"] == 0 and batched["wrong_answers"] == 0
    assert batched["bad_not_refused_as_expected"] == {}
    assert set(batched["latency_ms"]) == {"p50", "p95", "p99"}
    assert batched["soak"]["requests_sent"] > 0 and batched["soak"]["rss_mb_samples"]
    assert result["server"]["unbatched"]["sentences_per_model_call"] == 1.0
    assert result["throughput_vs_predictor_batched"] > 0 and result["batching_gain"] > 0
