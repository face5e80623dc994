"""Score predictions against gold annotations, SpERT JSON or JSON lines, with the project's metric.

    python -m stsn_allennlp.evaluate GOLD PRED [--symmetric TYPE ...] [--error-analysis]

Prints the flat dict of `stsn_allennlp.core.scoring.compute_scores` (percent, 0-100) as JSON on
stdout. With `--error-analysis`, the §4.3 tables of `stsn_allennlp.core.error_analysis` follow
the JSON on stdout, after an empty line, and then, after another, the tables of errors by kind of
`stsn_allennlp.core.error_kinds`: NER false positives (type, boundary, spurious) and false
negatives, overlapping entities, and RE+ false positives (reversed, wrong type, no gold relation,
argument not gold entity, entity type wrong, ...) and false negatives. Each file is SpERT JSON (a
JSON list of records, read by `stsn_allennlp.core.read_spert`) when its first non-blank character
is `[`, and otherwise SpERT JSON lines (one record per line, blank lines skipped), as `allennlp
predict --predictor stsn` writes (`stsn_allennlp.core.read_spert_either`). Extra keys such
as a prediction's `"score"` or `"line"` are ignored. A file that cannot be read, is empty or is not
valid SpERT JSON (lines), holds an error record of the predictor, or two files that do not hold the
same sentences record by record, end the command with exit status 1 and a message on stderr naming
the file and the record.
"""

import argparse
import json
import sys

from stsn_allennlp.commands.options import add_symmetric_argument
from stsn_allennlp.core import DataFormatError
from stsn_allennlp.core.alignment import InputError, check_aligned, read_file
from stsn_allennlp.core.error_analysis import error_analysis_report
from stsn_allennlp.core.error_kinds import error_kinds_report
from stsn_allennlp.core.scoring import compute_scores, count_sentences


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


if __name__ == "__main__":
    sys.exit(main())
