"""Reading the inputs as a stream of records, and cutting it into shards (no model)."""

import gzip

from stsn_allennlp.extract.shards import cut_shards
from stsn_allennlp.extract.sources import JSON, TEXT, read_records, record_kind
from tests.extract.conftest import JSON_LINES, TEXT_LINES


def places(records) -> list[tuple[str, int, int]]:
    return [
        (item.record.source.file, item.record.source.line, item.record.source.document)
        for item in records
    ]


def test_each_line_is_a_record_numbered_as_the_file_numbers_it(corpus):
    jsonl, text = str(corpus["jsonl"]), str(corpus["text"])
    records = list(read_records([jsonl, text]))
    assert places(records) == [(jsonl, n, n - 1) for n in range(1, len(JSON_LINES) + 1)] + [
        (text, n, n - 1) for n in range(1, len(TEXT_LINES) + 1)
    ]
    assert [item.record.data for item in records] == [
        *(line.encode() for line in JSON_LINES),
        *TEXT_LINES,
    ]
    assert [item.record.kind for item in records] == [JSON] * len(JSON_LINES) + [TEXT] * len(
        TEXT_LINES
    )
    # positions grow to the files' sizes added up
    positions = [item.position for item in records]
    assert positions == sorted(positions)
    assert positions[-1] == corpus["jsonl"].stat().st_size + corpus["text"].stat().st_size


def test_a_gzipped_file_reads_as_the_plain_one(corpus):
    plain = list(read_records([str(corpus["text"])]))
    zipped = list(read_records([str(corpus["gz"])]))
    assert [item.record.data for item in zipped] == [item.record.data for item in plain]
    assert zipped[-1].position == corpus["gz"].stat().st_size


def test_text_format_file_makes_one_document_of_a_file(corpus):
    (record,) = read_records([str(corpus["file"])], text_format="file")
    assert record.record.source.line == 1 and record.record.source.document == 0
    assert record.record.data == corpus["file"].read_bytes()
    assert record.record.kind == TEXT


def test_a_truncated_gzip_gives_one_problem_record_and_the_next_file_is_read(tmp_path, corpus):
    lines = [f"line {number} of a long file".encode() for number in range(5000)]
    packed = gzip.compress(b"\n".join(lines))
    damaged = tmp_path / "damaged.txt.gz"
    damaged.write_bytes(packed[: len(packed) // 2])
    records = [item.record for item in read_records([str(damaged), str(corpus["text"])])]
    problems = [record for record in records if record.problem]
    assert len(problems) == 1 and "damaged.txt.gz is damaged after" in problems[0].problem
    read = records.index(problems[0])
    assert 0 < read < len(lines)
    assert problems[0].source.line == read + 1  # the line it broke on
    assert [record.data for record in records[:read]] == lines[:read]
    assert [record.data for record in records[read + 1 :]] == TEXT_LINES


def test_the_format_follows_the_name_unless_given():
    assert record_kind("a.jsonl", "auto") == JSON and record_kind("a.JSON.gz", "auto") == JSON
    assert record_kind("a.ndjson", "auto") == JSON and record_kind("a.txt", "auto") == TEXT
    assert record_kind("a.txt", "jsonl") == JSON and record_kind("a.jsonl", "text") == TEXT


def test_shards_cut_the_whole_stream_in_runs_of_the_shard_size(corpus):
    paths = [str(corpus["jsonl"]), str(corpus["text"])]
    records = list(read_records(paths))
    shards = list(cut_shards(read_records(paths), 3))
    assert [shard.task.index for shard in shards] == list(range(len(shards)))
    assert [list(shard.task.records) for shard in shards] == [
        [item.record for item in records[first : first + 3]] for first in range(0, len(records), 3)
    ]
    # a shard crosses from one file into the next, and the byte spans tile the input
    assert {record.source.file for record in shards[2].task.records} == set(paths)
    assert [shard.start for shard in shards[1:]] == [shard.end for shard in shards[:-1]]
    assert shards[0].start == 0 and shards[-1].end == records[-1].position
