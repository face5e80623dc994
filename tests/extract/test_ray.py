"""The shards on Ray (an instance of 2 CPUs in this process): the same output as without; and
without Ray, `--ray` stops with one line before touching the output folder."""

import sys

import pytest

from tests.extract.conftest import extract, read_output


def test_on_a_local_ray_instance_the_output_is_the_local_runs(archive, corpus, tmp_path):
    ray = pytest.importorskip("ray", reason="Ray is optional: pip install -r requirements-ray.txt")
    inputs = [corpus["jsonl"], corpus["gz"]]
    options = ("--shard-size", "2", "--threads", "1")
    assert extract(archive, inputs, tmp_path / "local", *options) == 0
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        assert extract(archive, inputs, tmp_path / "ray", "--ray", "--workers", "2", *options) == 0
        assert ray.is_initialized()  # an instance the caller started is left to the caller
    finally:
        ray.shutdown()
    assert read_output(tmp_path / "ray") == read_output(tmp_path / "local")


def test_without_ray_the_option_stops_with_one_line(archive, corpus, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    assert extract(archive, [corpus["jsonl"]], tmp_path / "out", "--ray") == 1
    assert (
        capsys.readouterr().err == "error: --ray needs Ray: pip install -r requirements-ray.txt\n"
    )
    assert not (tmp_path / "out").exists()
