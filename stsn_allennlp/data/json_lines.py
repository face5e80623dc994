"""Reading JSON lines with errors that name the file and the line."""
import json
from pathlib import Path
from typing import Any, Iterator, Tuple, Union

from stsn_allennlp.data.sentence import DataFormatError


def read_json_lines(path: Union[str, Path]) -> Iterator[Tuple[int, Any]]:
    """
    Yields `(line_number, value)` for each non-blank line of a JSON-lines file, counting lines
    from 1.

    # Parameters

    path : `Union[str, Path]`
        The file.

    # Raises

    `DataFormatError`, naming the file, the line and the column, on a line that is not valid JSON.
    """
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                raise DataFormatError(
                    str(path), f"line {number} column {error.colno}", f"malformed JSON: {error.msg}"
                ) from None
