"""Type checks of decoded JSON values with messages that say what was expected, shared by every
reader of user input (data files and predictor inputs). Plain Python."""

from collections.abc import Mapping
from typing import Any


def expect(value: Any, expected: type | tuple[type, ...], what: str) -> Any:
    """Returns `value` if it is a JSON value of type `expected` (a type or a tuple of types), else
    raises `ValueError`; `bool` is no `int` here."""
    types = expected if isinstance(expected, tuple) else (expected,)
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        shown = repr(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        names = " or ".join(kind.__name__ for kind in types)
        raise ValueError(f"{what} must be of type {names}, got {shown}")
    return value


def member(
    record: Mapping[str, Any], key: str, expected: type | tuple[type, ...], what: str
) -> Any:
    """Returns `record[key]`, checked with `expect`; a missing key raises `ValueError`."""
    if key not in record:
        raise ValueError(f"{what} lacks the field {key!r}")
    return expect(record[key], expected, f"{what}: field {key!r}")
