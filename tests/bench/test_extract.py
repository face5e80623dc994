"""`bench.extract` end to end on the fixture model with a tiny corpus: the ceiling, one extract
run (a subprocess) and the int8 comparison; the figures are not checked, only that the results
hold what the report reads."""

import json
import os
import sys

import torch

# bench.common pins torch's threads at import: keep the test session's own count
os.environ.setdefault("BENCH_THREADS", str(torch.get_num_threads()))

from bench import extract
from tests import FIXTURE_DATA


def test_extract_bench_measures_the_ceiling_a_run_and_int8(monkeypatch, tmp_path, archive):
    arguments = [
        "--archive", str(archive), "--sentences", "8", "--shard-size", "4", "--workers", "1",
        "--no-ray", "--no-resume", "--train-file", str(FIXTURE_DATA / "spert_train.json"),
        "--output-dir", str(tmp_path), "--runs-dir", str(tmp_path / "runs"),
    ]  # fmt: skip
    monkeypatch.setattr(sys, "argv", ["bench.extract", *arguments])
    extract.main()
    results = json.loads((tmp_path / "extract.json").read_text())
    assert (tmp_path / "extract.md").read_text().startswith("# Extracting from a corpus")
    assert results["corpus"]["sentences"] == 8
    assert set(results["runs"]) == {"workers 1"}
    assert results["runs"]["workers 1"]["run_sentences"] == 8
    assert results["runs"]["workers 1"]["peak_tree_rss_mb"] > 0
    assert set(results["quantization"]["int8_vs_gold"]) == {"ner", "re_plus"}
