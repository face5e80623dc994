"""The command on the fixture model: formats, sources, error records, the predictor's answers,
resuming a finished or damaged folder, another command, workers."""

import io
import json

import pytest
import torch

from stsn_allennlp.core.records import output_lines
from stsn_allennlp.extract import ExtractSettings
from stsn_allennlp.extract import extract as run_extract
from stsn_allennlp.extract.manifest import MANIFEST
from stsn_allennlp.predictors.inputs import decode_line
from tests.extract.conftest import JSON_LINES, TEXT_LINES, extract, read_output
from tests.predictors.test_cli import allennlp, read_lines

DECISION_KEYS = ("type", "start", "end")


def decisions(records: list[dict]) -> list:
    """What was decided: each sentence's tokens, entities and relations, without scores."""
    return [
        (
            record.get("error"),
            record.get("tokens"),
            [tuple(entity[key] for key in DECISION_KEYS) for entity in record.get("entities", [])],
            [
                (relation["type"], relation["head"], relation["tail"])
                for relation in record.get("relations", [])
            ],
        )
        for record in records
    ]


def test_every_format_gives_one_record_per_sentence_with_its_source(archive, corpus, tmp_path):
    inputs = [corpus["jsonl"], corpus["text"], corpus["gz"]]
    assert extract(archive, inputs, tmp_path / "out", "--shard-size", "4") == 0
    records = read_output(tmp_path / "out")
    sources = [tuple(record["source"].values()) for record in records]
    jsonl, text, gz = (str(path) for path in inputs)
    expected_text = [(1, 0, 0), (1, 0, 1), (2, 1, 0), (3, 2, None), (4, 3, 0)]
    assert sources == [
        (jsonl, 1, 0, 0),
        (jsonl, 2, 1, 0),
        (jsonl, 2, 1, 1),  # the document's second sentence
        (jsonl, 3, 2, None),  # not JSON
        (jsonl, 4, 3, 0),
        (jsonl, 5, 4, 0),  # a blank line: an empty sentence
        (jsonl, 6, 5, None),  # no known key
        (jsonl, 7, 6, 0),
        *((text, *place) for place in expected_text),
        *((gz, *place) for place in expected_text),
    ]
    assert len(set(sources)) == len(sources)
    errors = [
        (record["source"]["file"], record["error"]) for record in records if "error" in record
    ]
    assert [file for file, _ in errors] == [jsonl, jsonl, text, gz]
    assert "line 3: the line is not valid JSON" in errors[0][1] and "'text'" in errors[1][1]
    assert all(
        error.endswith("line 3: not UTF-8: byte 0xff at position 0") for _, error in errors[2:]
    )
    assert all(
        set(record) == {"source", "tokens", "entities", "relations"}
        for record in records
        if "error" not in record
    )
    assert records[-1]["tokens"] == TEXT_LINES[-1].decode().replace(".", " .").split()
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text())
    assert manifest["finished"] is True
    assert manifest["totals"] == {
        "shards": 4,
        "inputs": len(JSON_LINES) + 2 * len(TEXT_LINES),
        "records": len(records),
        "sentences": len(records) - 4,
        "errors": 4,
    }
    assert [shard["inputs"] for shard in manifest["shards"]] == [4, 4, 4, 3]
    assert [shard["records"] for shard in manifest["shards"]] == [
        sum(1 for record in records if index * 4 <= _input_number(record, inputs) < index * 4 + 4)
        for index in range(4)
    ]
    assert sum(len(record.get("entities", [])) for record in records) > 5  # something to compare


def _input_number(record: dict, inputs: list) -> int:
    """The record's input record's place in the whole stream."""
    sizes = [len(JSON_LINES), len(TEXT_LINES), len(TEXT_LINES)]
    file = [str(path) for path in inputs].index(record["source"]["file"])
    return sum(sizes[:file]) + record["source"]["document"]


def test_records_are_allennlp_predicts_for_the_same_inputs(archive, corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert extract(archive, [corpus["jsonl"]], out, "--batch-size", "1", "--threads", "1") == 0
    predictions = tmp_path / "predictions.jsonl"
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the extraction's: scores then agree to the last bit
    try:
        allennlp(
            monkeypatch, "predict", str(archive), str(corpus["jsonl"]), "--predictor", "stsn",
            "--output-file", str(predictions), "--batch-size", "1", "--silent",
            "--predictor-args", '{"batch_size": 1}',
        )  # fmt: skip
    finally:
        torch.set_num_threads(threads)
    expected = read_lines(predictions)
    records = read_output(out)
    assert len(records) == len(expected)
    for record, line in zip(records, expected):
        source = record.pop("source")
        assert source["line"] == line.pop("line")
        assert source["sentence"] == line.pop("sentence_index", None if "error" in line else 0)
        assert record == line  # the same numbers: one sentence per forward pass on both sides


def test_batched_and_compressed_it_decides_as_predict_json(archive, predictor, corpus, tmp_path):
    out = tmp_path / "out"
    inputs = [corpus["jsonl"], corpus["file"]]
    assert extract(archive, inputs, out, "--compress", "--text-format", "file") == 0
    assert [path.name for path in out.glob("shard-*")] == ["shard-00000.jsonl.gz"]
    records = read_output(out)
    expected = [
        line
        for number, text in enumerate(JSON_LINES, start=1)
        for line in output_lines(predictor.predict_json(decode_line(text, number)))
    ]
    expected += output_lines(predictor.predict_json({"document": corpus["file"].read_text()}))
    assert decisions(records) == decisions(expected)
    letter = [record["source"] for record in records if record["source"]["file"] == str(inputs[1])]
    assert letter == [
        {"file": str(inputs[1]), "line": 1, "document": 0, "sentence": index} for index in range(2)
    ]
    scores = [
        (mine["score"], theirs["score"])
        for record, line in zip(records, expected)
        for mine, theirs in zip(record.get("entities", []), line.get("entities", []))
    ]
    assert len(scores) > 5
    assert all(mine == pytest.approx(theirs, abs=1e-5) for mine, theirs in scores)


def test_the_progress_bar_shows_the_share_the_rate_and_an_eta(archive, corpus, tmp_path):
    settings = ExtractSettings(
        str(archive), (str(corpus["jsonl"]), str(corpus["text"])), str(tmp_path), shard_size=3
    )
    bar = io.StringIO()
    summary = run_extract(settings, bar, progress=True)
    drawn = bar.getvalue()
    assert drawn.startswith("\r") and drawn.endswith("\n")
    last = drawn.rstrip().rsplit("\r", 1)[-1]
    assert last.startswith("100.0% | 4 shards | ") and "sentences/s | ETA 0:00:00" in last
    assert (summary.shards, summary.resumed, summary.errors) == (4, 0, 3)
    assert summary.sentences == summary.run_sentences == len(read_output(tmp_path)) - 3
    assert run_extract(settings, io.StringIO(), progress=False).resumed == 4


def test_an_extraction_in_this_process_gives_the_callers_thread_count_back(
    archive, corpus, tmp_path
):
    before = torch.get_num_threads()
    settings = ExtractSettings(
        str(archive), (str(corpus["jsonl"]),), str(tmp_path), threads=before + 1
    )
    run_extract(settings, io.StringIO(), progress=False)
    assert torch.get_num_threads() == before
