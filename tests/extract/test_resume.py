"""Resuming: a finished folder is left as it is, a damaged shard is done again, another command
stops, and a run killed by SIGKILL after its first shard finishes as if never interrupted."""

import json
import os
import signal
import subprocess
import sys
import time

from stsn_allennlp.extract.manifest import MANIFEST
from tests import REPO_ROOT
from tests.extract.conftest import extract, read_output

KILL_TIMEOUT = 300.0
"""Seconds the killed run may take to finish its first shard (start-up on a busy machine)."""


def shard_times(folder) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in folder.glob("shard-*")}


def test_a_finished_folder_is_kept_and_a_damaged_shard_is_done_again(
    archive, corpus, tmp_path, capsys
):
    out, options = tmp_path / "out", ("--shard-size", "2")
    assert extract(archive, [corpus["jsonl"]], out, *options) == 0
    first, times = read_output(out), shard_times(out)
    capsys.readouterr()
    assert extract(archive, [corpus["jsonl"]], out, *options) == 0
    assert "4 shards (4 done before); nothing left to predict" in capsys.readouterr().err
    assert shard_times(out) == times
    damaged = out / "shard-00001.jsonl"
    damaged.write_text(damaged.read_text()[:-5])
    assert extract(archive, [corpus["jsonl"]], out, *options) == 0
    assert "4 shards (3 done before)" in capsys.readouterr().err
    assert read_output(out) == first
    assert {name for name, time_ns in shard_times(out).items() if times[name] != time_ns} == {
        damaged.name
    }


def test_another_command_on_the_folder_stops_with_one_line_until_overwrite(
    archive, corpus, tmp_path, capsys
):
    out = tmp_path / "out"
    assert extract(archive, [corpus["jsonl"]], out) == 0
    capsys.readouterr()
    assert extract(archive, [corpus["jsonl"], corpus["text"]], out) == 1
    printed = capsys.readouterr().err
    assert printed.count("\n") == 1
    assert printed.startswith(f"error: {out} holds the output of another command (other input")
    assert extract(archive, [corpus["jsonl"]], out, "--batch-size", "2") == 1
    assert "batch_size 8, now 2" in capsys.readouterr().err
    assert extract(archive, [corpus["jsonl"], corpus["text"]], out, "--overwrite") == 0
    assert {record["source"]["file"] for record in read_output(out)} == {
        str(corpus["jsonl"]),
        str(corpus["text"]),
    }


def test_a_missing_input_stops_with_one_line(archive, tmp_path, capsys):
    assert extract(archive, [tmp_path / "absent.jsonl"], tmp_path / "out") == 1
    assert capsys.readouterr().err == f"error: {tmp_path / 'absent.jsonl'}: no such file\n"


def test_killed_after_its_first_shard_the_same_command_finishes_without_loss_or_duplicate(
    archive, tmp_path
):
    lines = [
        json.dumps({"document": f"Person{n} Smith works for Acme{n} in Boston. He lives in Rome."})
        if n % 7
        else "not json"
        for n in range(60)
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(lines) + "\n")
    options = ["--shard-size", "3", "--threads", "1"]
    assert extract(archive, [corpus], tmp_path / "reference", *options) == 0
    reference = read_output(tmp_path / "reference")

    out = tmp_path / "out"
    command = [sys.executable, "-m", "stsn_allennlp.extract", str(archive), str(corpus)]
    command += ["-o", str(out), "--no-progress", *options]
    environment = {**os.environ, "HF_HUB_OFFLINE": "1"}
    log = tmp_path / "killed.log"
    with open(log, "wb") as printed:  # a file, not a pipe: nothing blocks while it is not read
        killed = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stderr=printed)
    deadline = time.monotonic() + KILL_TIMEOUT
    try:
        while (
            not (out / MANIFEST).exists() or not json.loads((out / MANIFEST).read_text())["shards"]
        ):
            assert killed.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "no shard finished"
            time.sleep(0.01)
        killed.send_signal(signal.SIGKILL)
    finally:
        killed.kill()
        killed.communicate()
    at_kill = json.loads((out / MANIFEST).read_text())
    assert at_kill["finished"] is False and len(at_kill["shards"]) < 20  # killed mid-run

    finished = subprocess.run(
        command, cwd=REPO_ROOT, env=environment, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr
    done_before = len(at_kill["shards"])
    assert f"20 shards ({done_before} done before)" in finished.stderr
    records = read_output(out)
    assert records == reference
    places = [tuple(record["source"].values()) for record in records]
    assert len(places) == len(set(places))
    assert json.loads((out / MANIFEST).read_text())["finished"] is True
    assert not list(out.glob(".tmp-*"))


def test_the_output_does_not_depend_on_the_number_of_workers(archive, corpus, tmp_path):
    inputs = [corpus["jsonl"], corpus["text"]]
    options = ("--shard-size", "2", "--threads", "1")
    assert extract(archive, inputs, tmp_path / "one", *options) == 0
    assert extract(archive, inputs, tmp_path / "many", "--workers", "2", *options) == 0
    assert read_output(tmp_path / "many") == read_output(tmp_path / "one")
    assert [path.read_bytes() for path in sorted((tmp_path / "many").glob("shard-*"))] == [
        path.read_bytes() for path in sorted((tmp_path / "one").glob("shard-*"))
    ]
