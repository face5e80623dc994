"""The predictor's JSON inputs: validation, and the sentences each input holds.

An input is a JSON object with exactly one of the keys `"sentence"` (raw text, one sentence),
`"document"` (raw text, split into sentences) or `"tokens"` (a list of words, one sentence). Plain
Python: nothing here knows AllenNLP.
"""

import json
from typing import Any, NamedTuple

from stsn_allennlp.core.json_values import expect
from stsn_allennlp.predictors.text import TextSentence, split_sentences, tokenize

INPUT_KEYS = ("sentence", "document", "tokens")


class PredictorInputError(ValueError):
    """
    An input the predictor cannot read; the message names the key and, if known, the line.

    # Parameters

    message : `str`
        What is wrong.
    line : `int`, optional (default = `None`)
        The input's line in its file.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.line = line


class InputLine(dict):
    """
    A JSON object read from line `number` (from 1) of an input file. `problem` says why the line
    could not be read as a JSON object; the dict is then empty.
    """

    def __init__(self, value: dict[str, Any], number: int, problem: str | None = None) -> None:
        super().__init__(value)
        self.number = number
        self.problem = problem


class ParsedInput(NamedTuple):
    """
    The sentences of one input. `text` is the raw text that character offsets point into (`None`
    for a `"tokens"` input, whose sentence has no offsets), `line` the input's line if it was read
    from a file.
    """

    key: str
    sentences: list[TextSentence]
    text: str | None
    line: int | None


def decode_line(line: str, number: int) -> InputLine:
    """
    Decodes one line of an input file without raising: a blank line is an empty sentence
    (`{"sentence": ""}`), a line that is not a JSON object gives an empty `InputLine` whose
    `problem` says why.

    # Parameters

    line : `str`
        The line.
    number : `int`
        Its number, for messages.
    """
    if not line.strip():
        return InputLine({"sentence": ""}, number)
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        return InputLine(
            {}, number, f"the line is not valid JSON: {error.msg} (column {error.colno})"
        )
    if not isinstance(value, dict):
        return InputLine({}, number, f"the line must hold a JSON object, got {_kind(value)}")
    return InputLine(value, number)


def parse_input(inputs: Any) -> ParsedInput:
    """
    Validates an input and splits it into sentences. Empty text, whitespace-only text and an empty
    token list are valid: the input then holds one sentence without tokens.

    # Parameters

    inputs : `Any`
        The decoded JSON input, or an `InputLine`.

    # Raises

    `PredictorInputError`, naming the key and, for an `InputLine`, the line: when the input is not
    a JSON object, holds none or several of `"sentence"`, `"document"`, `"tokens"`, or a value of
    the wrong type.
    """
    line = inputs.number if isinstance(inputs, InputLine) else None
    try:
        return _parse(inputs, line)
    except ValueError as error:
        raise PredictorInputError(str(error), line) from None


def _parse(inputs: Any, line: int | None) -> ParsedInput:
    if isinstance(inputs, InputLine) and inputs.problem:
        raise ValueError(inputs.problem)
    if not isinstance(inputs, dict):
        raise ValueError(f"an input must be a JSON object, got {_kind(inputs)}")
    keys = [key for key in INPUT_KEYS if key in inputs]
    if len(keys) != 1:
        found = ", ".join(repr(key) for key in keys or inputs) or "no key"
        raise ValueError(
            f"an input needs exactly one of the keys {', '.join(map(repr, INPUT_KEYS))}; it has "
            f"{found}"
        )
    key = keys[0]
    if key == "tokens":
        tokens = expect(inputs[key], list, f"the value of {key!r}")
        for position, token in enumerate(tokens):
            expect(token, str, f"token {position} of {key!r}")
        return ParsedInput(key, [TextSentence(list(tokens), [])], None, line)
    text = expect(inputs[key], str, f"the value of {key!r}")
    sentences = split_sentences(text) if key == "document" else [tokenize(text)]
    return ParsedInput(key, sentences or [TextSentence([], [])], text, line)


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__
