"""Reading a gold file and a predictions file that must hold the same sentences, record by record,
as the scoring and viewing commands do."""

from collections.abc import Sequence

from stsn_allennlp.core.sentence import Sentence, describe_record
from stsn_allennlp.core.spert_json import read_spert_either


class InputError(ValueError):
    """Input the command cannot score: an unreadable file, or two files that are not aligned."""


def read_file(path: str) -> list[Sentence]:
    """
    The sentences of a SpERT JSON or JSON-lines file (`read_spert_either`).

    # Raises

    `InputError` when the file cannot be read; `DataFormatError` when it is empty, not UTF-8, or
    not valid SpERT JSON (lines).
    """
    try:
        return read_spert_either(path)
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from error


def check_aligned(
    gold: Sequence[Sentence], predicted: Sequence[Sentence], gold_name: str, predicted_name: str
) -> None:
    """
    Checks that two files hold the same sentences, record by record.

    # Parameters

    gold : `Sequence[Sentence]`
        The gold file's sentences.
    predicted : `Sequence[Sentence]`
        The predictions file's sentences.
    gold_name : `str`
        The gold file's name, for messages.
    predicted_name : `str`
        The predictions file's name, for messages.

    # Raises

    `InputError`, naming the first record whose tokens differ or, when one file is a
    prefix of the other, the first record without a counterpart.
    """
    for gold_sentence, predicted_sentence in zip(gold, predicted):
        if gold_sentence.tokens != predicted_sentence.tokens:
            position = _first_difference(gold_sentence.tokens, predicted_sentence.tokens)
            raise InputError(
                f"the first mismatching record is {describe_record(gold_sentence.metadata)}: its "
                f"tokens differ from token {position} on: {gold_name} has "
                f"{gold_sentence.tokens[position : position + 5]} ({len(gold_sentence.tokens)} "
                f"tokens), {predicted_name} has {predicted_sentence.tokens[position : position + 5]} "
                f"({len(predicted_sentence.tokens)} tokens)"
            )
    if len(gold) != len(predicted):
        longer = gold_name if len(gold) > len(predicted) else predicted_name
        raise InputError(
            f"{gold_name} holds {len(gold)} records but {predicted_name} holds {len(predicted)}: "
            f"the first mismatching record is record {min(len(gold), len(predicted))}, which only "
            f"{longer} has"
        )


def _first_difference(first: Sequence[str], second: Sequence[str]) -> int:
    for position, (a, b) in enumerate(zip(first, second)):
        if a != b:
            return position
    return min(len(first), len(second))
