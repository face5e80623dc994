"""The manifest and the shard files: atomic, checked on resume, never mixed (no model)."""

import json
import os

import pytest

from stsn_allennlp.extract.manifest import (
    MANIFEST,
    Manifest,
    OutputBusyError,
    OutputMismatchError,
)
from stsn_allennlp.extract.settings import ExtractSettings
from stsn_allennlp.extract.shards import write_shard
from stsn_allennlp.extract.worker import ShardResult


def command(corpus, **options) -> dict:
    return ExtractSettings(str(corpus["file"]), (str(corpus["jsonl"]),), "out", **options).command()


def result(index: int) -> ShardResult:
    text = "".join(json.dumps({"n": index, "k": k}) + "\n" for k in range(3))
    return ShardResult(index, text, inputs=2, sentences=2, errors=1)


def test_a_finished_shard_is_kept_on_resume_unless_its_file_changed(tmp_path, corpus):
    out = tmp_path / "out"
    manifest = Manifest.open(out, command(corpus))
    for index in range(3):
        manifest.add(write_shard(out, result(index), compress=False))
    manifest.close()
    assert json.loads((out / MANIFEST).read_text())["finished"] is False
    (out / "shard-00001.jsonl").write_text("edited\n")
    (out / ".tmp-shard-00003.jsonl").write_text("half a shard")  # a killed write
    resumed = Manifest.open(out, command(corpus))
    assert sorted(resumed.shards) == [0, 2]
    assert not (out / ".tmp-shard-00003.jsonl").exists()
    resumed.add(write_shard(out, result(1), compress=False))
    resumed.finish()
    resumed.close()
    stored = json.loads((out / MANIFEST).read_text())
    assert stored["finished"] is True
    assert stored["totals"] == {"shards": 3, "inputs": 6, "records": 9, "sentences": 6, "errors": 3}
    assert [shard["file"] for shard in stored["shards"]] == [
        f"shard-0000{index}.jsonl" for index in range(3)
    ]


def test_another_command_stops_with_what_differs_and_overwrite_starts_over(tmp_path, corpus):
    out = tmp_path / "out"
    manifest = Manifest.open(out, command(corpus))
    manifest.add(write_shard(out, result(0), compress=False))
    manifest.close()
    with pytest.raises(OutputMismatchError, match=r"shard_size 200, now 5.*--overwrite"):
        Manifest.open(out, command(corpus, shard_size=5))
    corpus["jsonl"].write_text('{"sentence": "changed"}\n')
    with pytest.raises(OutputMismatchError, match=r"inputs\.jsonl changed"):
        Manifest.open(out, command(corpus))
    fresh = Manifest.open(out, command(corpus, shard_size=5), overwrite=True)
    fresh.close()
    assert fresh.shards == {} and not (out / "shard-00000.jsonl").exists()


def test_shards_without_a_manifest_are_not_adopted(tmp_path, corpus):
    out = tmp_path / "out"
    out.mkdir()
    (out / "shard-00000.jsonl").write_text("{}\n")
    with pytest.raises(OutputMismatchError, match=r"shard files but no manifest\.json"):
        Manifest.open(out, command(corpus))


def test_one_writer_at_a_time(tmp_path, corpus):
    manifest = Manifest.open(tmp_path / "out", command(corpus))
    try:
        with pytest.raises(OutputBusyError):
            Manifest.open(tmp_path / "out", command(corpus))
    finally:
        manifest.close()
    Manifest.open(tmp_path / "out", command(corpus)).close()  # free again


def test_a_compressed_shard_is_the_same_bytes_every_time(tmp_path):
    first = write_shard(tmp_path, result(4), compress=True)
    os.replace(tmp_path / first.file, tmp_path / "first.gz")
    assert write_shard(tmp_path, result(4), compress=True) == first
    assert first.file == "shard-00004.jsonl.gz"


def test_settings_refuse_what_cannot_run(corpus):
    with pytest.raises(ValueError, match="shard_size must be positive"):
        ExtractSettings("model.tar.gz", ("a.txt",), "out", shard_size=0)
    assert ExtractSettings("m", ("a",), "o", workers=3).threads_per_worker(cores=8) == 2
    assert ExtractSettings("m", ("a",), "o", workers=4).threads_per_worker(cores=2) == 1
    assert ExtractSettings("m", ("a",), "o", workers=4, threads=3).threads_per_worker(2) == 3
