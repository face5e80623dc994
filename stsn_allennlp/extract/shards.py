"""Shards: the input stream cut into runs of `shard_size` records, and their output files.

Shard `i` holds input records `i * shard_size` to `(i + 1) * shard_size - 1` of the whole stream
(all files in order), so the same inputs and shard size always give the same shards. Its output
is `shard-0000i.jsonl` (`.jsonl.gz` compressed), written atomically (`files.write_atomically`);
gzip is written without a timestamp, so equal records give equal bytes.
"""

import gzip
import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from stsn_allennlp.extract.files import write_atomically
from stsn_allennlp.extract.sources import Positioned
from stsn_allennlp.extract.worker import ShardResult, ShardTask

PREFIX = "shard-"


@dataclass(frozen=True)
class CutShard:
    """
    A shard cut from the input, with the span of input bytes it read (for progress).

    # Parameters

    task : `ShardTask`
        What a worker predicts.
    start : `int`
        Input bytes read before it.
    end : `int`
        Input bytes read after it.
    """

    task: ShardTask
    start: int
    end: int


@dataclass(frozen=True)
class ShardEntry:
    """
    A finished shard, as the manifest lists it.

    # Parameters

    index : `int`
        The shard's index.
    file : `str`
        Its output file's name, in the output folder.
    inputs : `int`
        Its input records.
    records : `int`
        Its output records (lines): `sentences + errors`.
    sentences : `int`
        Its sentence records.
    errors : `int`
        Its error records.
    bytes : `int`
        The output file's size.
    sha256 : `str`
        The output file's SHA-256, hex.
    """

    index: int
    file: str
    inputs: int
    records: int
    sentences: int
    errors: int
    bytes: int
    sha256: str


def shard_name(index: int, compress: bool) -> str:
    """The output file of shard `index`: `shard-00000.jsonl` (or `.jsonl.gz`)."""
    return f"{PREFIX}{index:05d}.jsonl" + (".gz" if compress else "")


def cut_shards(records: Iterator[Positioned], shard_size: int) -> Iterator[CutShard]:
    """
    The shards of a record stream, in order, each read only when asked for.

    # Parameters

    records : `Iterator[Positioned]`
        The input records (`sources.read_records`).
    shard_size : `int`
        Records per shard (the last may hold fewer).
    """
    start = 0
    for index in itertools.count():
        chunk = list(itertools.islice(records, shard_size))
        if not chunk:
            return
        end = chunk[-1].position
        yield CutShard(ShardTask(index, [item.record for item in chunk]), start, end)
        start = end


def write_shard(folder: Path, result: ShardResult, compress: bool) -> ShardEntry:
    """
    Writes a shard's output file atomically and describes it for the manifest.

    # Parameters

    folder : `Path`
        The output folder.
    result : `ShardResult`
        What the shard gave.
    compress : `bool`
        gzip the file.
    """
    data = result.text.encode("utf-8")
    if compress:
        data = gzip.compress(data, mtime=0)
    name = shard_name(result.index, compress)
    write_atomically(folder / name, data)
    return ShardEntry(
        index=result.index,
        file=name,
        inputs=result.inputs,
        records=result.sentences + result.errors,
        sentences=result.sentences,
        errors=result.errors,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def intact(folder: Path, entry: ShardEntry) -> bool:
    """
    Whether a finished shard's file is still the one the manifest describes (size and SHA-256).

    # Parameters

    folder : `Path`
        The output folder.
    entry : `ShardEntry`
        The manifest's entry.
    """
    path = folder / entry.file
    if not path.is_file() or path.stat().st_size != entry.bytes:
        return False
    return hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256
