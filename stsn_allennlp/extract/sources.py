"""The input records of a corpus, read as a stream: JSON lines and plain text, gzip'ed or not.

An input record is what the predictor gets as one input: a line of a JSON lines file, a line of a
text file (`--text-format line`: one document per line) or a whole text file (`--text-format
file`). Records are read as bytes, one at a time, and decoded later by the worker that predicts
them (`stsn_allennlp.extract.worker`): a line that is not UTF-8 or not JSON becomes an error
record there, and the stream goes on. A gzip'ed file (`.gz`) that is truncated or corrupted gives
one error record where it breaks, and the next file is read.

Plain Python: nothing here knows AllenNLP.
"""

import gzip
import os
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any, cast

INPUT_FORMATS = ("auto", "jsonl", "text")
"""`auto` reads `.jsonl`, `.ndjson` and `.json` files (before an optional `.gz`) as JSON lines
and every other file as plain text."""
TEXT_FORMATS = ("line", "file")
"""How plain text holds documents: one per line, or one per file."""
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
JSON, TEXT = "json", "text"
"""The kinds of record: a JSON input of the predictor, or raw text (a document)."""
DAMAGE = (OSError, EOFError, zlib.error)
"""What reading a truncated or corrupted gzip stream raises (`gzip.BadGzipFile` is an OSError)."""


@dataclass(frozen=True)
class Source:
    """
    Where a record comes from.

    # Parameters

    file : `str`
        The input file, as named on the command line.
    line : `int`
        The line of the file the record starts on, from 1 (blank lines counted); 1 for a whole
        file.
    document : `int`
        The record's index among the file's records, from 0: every record is one document, so
        `(file, document, sentence)` names a sentence the same way in every format.
    """

    file: str
    line: int
    document: int

    def as_json(self, sentence: int | None) -> dict[str, Any]:
        """The `source` of an output record: this place and the sentence's index in the document
        (`None` for an error record)."""
        return {
            "file": self.file,
            "line": self.line,
            "document": self.document,
            "sentence": sentence,
        }


@dataclass(frozen=True)
class InputRecord:
    """
    One input record, not yet decoded.

    # Parameters

    source : `Source`
        Where it comes from.
    kind : `str`
        `"json"` (a line of a JSON lines file) or `"text"` (a document of raw text).
    data : `bytes`
        The record's bytes, without the line break.
    problem : `str`, optional (default = `None`)
        Why the file could not be read here (a damaged gzip stream); `data` is then empty.
    """

    source: Source
    kind: str
    data: bytes
    problem: str | None = None


@dataclass(frozen=True)
class Positioned:
    """A record and how far the input has been read after it, in bytes of the files on disk
    (compressed bytes for a `.gz`), all files counted: what the progress bar's share is made of."""

    record: InputRecord
    position: int


def record_kind(path: str, input_format: str) -> str:
    """
    The kind of record a file holds: `"json"` or `"text"`.

    # Parameters

    path : `str`
        The file.
    input_format : `str`
        One of `INPUT_FORMATS`.
    """
    if input_format != "auto":
        return JSON if input_format == "jsonl" else TEXT
    name = path.removesuffix(".gz").lower()
    return JSON if name.endswith(JSONL_SUFFIXES) else TEXT


def read_records(
    paths: Sequence[str], input_format: str = "auto", text_format: str = "line"
) -> Iterator[Positioned]:
    """
    The records of the files in order, streamed (a whole text file at a time with `text_format`
    `"file"`).

    # Parameters

    paths : `Sequence[str]`
        The input files; a name ending in `.gz` is decompressed.
    input_format : `str`, optional (default = `"auto"`)
        One of `INPUT_FORMATS`.
    text_format : `str`, optional (default = `"line"`)
        One of `TEXT_FORMATS`: a plain-text file holds one document per line or is one document.
    """
    done = 0
    for path in paths:
        kind = record_kind(path, input_format)
        whole = kind == TEXT and text_format == "file"
        with open(path, "rb") as raw:
            stream = cast(IO[bytes], gzip.GzipFile(fileobj=raw) if path.endswith(".gz") else raw)
            for record in _file_records(path, stream, kind, whole):
                yield Positioned(record, done + raw.tell())
        done += os.path.getsize(path)


def _file_records(path: str, stream: IO[bytes], kind: str, whole: bool) -> Iterator[InputRecord]:
    """A file's records; where a damaged gzip stream breaks, one record with the problem."""
    lines = 0
    try:
        if whole:
            yield InputRecord(Source(path, 1, 0), kind, stream.read())
            return
        for lines, line in enumerate(stream, start=1):
            yield InputRecord(Source(path, lines, lines - 1), kind, line.rstrip(b"\r\n"))
    except DAMAGE as error:
        problem = f"{path} is damaged after {lines} lines: {type(error).__name__}: {error}"
        yield InputRecord(Source(path, lines + 1, lines), kind, b"", problem)
