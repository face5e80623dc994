"""Score predictions against gold annotations, SpERT JSON or JSON lines, with the project's metric.

    python -m stsn_allennlp.evaluate GOLD PRED [--symmetric TYPE ...] [--error-analysis]

Prints the flat dict of `stsn_allennlp.core.scoring.compute_scores` (percent, 0-100) as JSON on
stdout. With `--error-analysis`, the §4.3 tables of `stsn_allennlp.core.error_analysis` follow
the JSON on stdout, after an empty line, and then, after another, the tables of errors by kind of
`stsn_allennlp.core.error_kinds`: NER false positives (type, boundary, spurious) and false
negatives, overlapping entities, and RE+ false positives (reversed, wrong type, no gold relation,
argument not gold entity, entity type wrong, ...) and false negatives. Each file is SpERT JSON (a
JSON list of records, read by `stsn_allennlp.data.read_spert`) when its first non-blank character
is `[`, and otherwise SpERT JSON lines (one record per line, blank lines skipped), as `allennlp
predict --predictor stsn` writes (`stsn_allennlp.data.read_spert_either`). Extra keys such
as a prediction's `"score"` or `"line"` are ignored. A file that cannot be read, is empty or is not
valid SpERT JSON (lines), holds an error record of the predictor, or two files that do not hold the
same sentences record by record, end the command with exit status 1 and a message on stderr naming
the file and the record.
"""

import argparse
import json
import sys
from collections.abc import Sequence

from stsn_allennlp.core import DataFormatError, Sentence, describe_record, read_spert_either
from stsn_allennlp.core.error_analysis import error_analysis_report
from stsn_allennlp.core.error_kinds import error_kinds_report
from stsn_allennlp.core.scoring import compute_scores, count_sentences


class InputError(ValueError):
    """Input the command cannot score: an unreadable file, or two files that are not aligned."""


def read_file(path: str) -> list[Sentence]:
    """
    The sentences of a SpERT JSON or JSON-lines file (`stsn_allennlp.data.read_spert_either`).

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


def add_symmetric_argument(parser: argparse.ArgumentParser) -> None:
    """The `--symmetric TYPE ...` option of the commands that match relations."""
    parser.add_argument(
        "--symmetric",
        action="extend",
        nargs="+",
        default=[],
        metavar="TYPE",
        help="relation types that match in either direction (repeatable)",
    )


def main(argv: list[str] | None = None) -> int:
    """
    Runs the command; returns its exit status.

    # Parameters

    argv : `Optional[List[str]]`, optional (default = `None`)
        The arguments; `None` reads `sys.argv`.
    """
    parser = argparse.ArgumentParser(
        prog="python -m stsn_allennlp.evaluate",
        description="Score predictions against gold annotations (SpERT JSON or JSON lines): NER, "
        "RE (boundary) and RE+ (strict), micro, macro and per type, in percent.",
    )
    parser.add_argument("gold", help="gold file, SpERT JSON (or JSON lines)")
    parser.add_argument(
        "predictions",
        help="predictions file, SpERT JSON or JSON lines (allennlp predict's output), same "
        "sentences in order",
    )
    add_symmetric_argument(parser)
    parser.add_argument(
        "--error-analysis",
        action="store_true",
        help="also print F1 by entity length and by sentence length (the paper's §4.3), and "
        "the entity and RE+ errors by kind",
    )
    args = parser.parse_args(argv)
    try:
        gold = read_file(args.gold)
        predicted = read_file(args.predictions)
        check_aligned(gold, predicted, args.gold, args.predictions)
    except (DataFormatError, InputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    symmetric = frozenset(args.symmetric)
    print(json.dumps(compute_scores(count_sentences(gold, predicted, symmetric)), indent=2))
    if args.error_analysis:
        print()
        print(error_analysis_report(gold, predicted, symmetric))
        print()
        print(error_kinds_report(gold, predicted, symmetric))
    return 0


def _first_difference(first: Sequence[str], second: Sequence[str]) -> int:
    for position, (a, b) in enumerate(zip(first, second)):
        if a != b:
            return position
    return min(len(first), len(second))


if __name__ == "__main__":
    sys.exit(main())
