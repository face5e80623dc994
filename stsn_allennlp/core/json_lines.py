"""Reading input files with errors that name the file and the line: UTF-8 text, JSON lines, and
the error for a file without records. Every reader of a data file goes through here."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stsn_allennlp.core.sentence import DataFormatError


def decode_utf8(data: bytes, source: str, line: int = 1, offset: int = 0) -> str:
    """
    Decodes `data`, a file or a part of it, as UTF-8.

    # Parameters

    data : `bytes`
        The bytes.
    source : `str`
        The file, for errors.
    line : `int`, optional (default = `1`)
        The line of the file on which `data` starts, counting from 1.
    offset : `int`, optional (default = `0`)
        The byte offset in the file at which `data` starts.

    # Raises

    `DataFormatError`, naming the file, the line and the byte offset (from 0, in the file) of the
    first byte that is not UTF-8.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = error.start
        bad_line = line + data.count(b"\n", 0, bad)
        where = f"line {bad_line}, byte offset {offset + bad}"
        problem = f"not UTF-8 text ({error.reason}: byte {data[bad]:#04x}); save the file as UTF-8"
        raise DataFormatError(source, where, problem) from None


def read_utf8(path: str | Path) -> str:
    """
    The text of a UTF-8 file (see `decode_utf8` for the error on other bytes).

    # Parameters

    path : `Union[str, Path]`
        The file.
    """
    return decode_utf8(Path(path).read_bytes(), str(path))


def read_json_lines(path: str | Path) -> Iterator[tuple[int, Any]]:
    """
    Yields `(line_number, value)` for each non-blank line of a JSON-lines file, counting lines
    from 1.

    # Parameters

    path : `Union[str, Path]`
        The file.

    # Raises

    `DataFormatError`, naming the file, the line and the column, on a line that is not valid JSON,
    and the line and byte offset on bytes that are not UTF-8.
    """
    offset = 0
    with open(path, "rb") as lines:
        for number, raw in enumerate(lines, start=1):
            line = decode_utf8(raw, str(path), number, offset)
            offset += len(raw)
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                raise DataFormatError(
                    str(path), f"line {number} column {error.colno}", f"malformed JSON: {error.msg}"
                ) from None


def no_records_error(source: str, expected: str) -> DataFormatError:
    """
    The error for a file that holds no record (no sentence to read).

    # Parameters

    source : `str`
        The file.
    expected : `str`
        What the file should hold, e.g. `"a JSON list of SpERT records"`.
    """
    return DataFormatError(
        source, "top level", f"the file is empty (no records): expected {expected}"
    )
