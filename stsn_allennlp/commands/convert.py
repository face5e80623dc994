"""
Converts between SpERT JSON and DyGIE JSON lines (`stsn_allennlp.core.convert`):

    python -m stsn_allennlp.data.convert --to dygie INPUT.json OUTPUT.jsonl
    python -m stsn_allennlp.data.convert --to spert INPUT.jsonl OUTPUT.json
"""

import argparse
import sys

from stsn_allennlp.core.convert import FORMATS, convert
from stsn_allennlp.core.sentence import DataFormatError


def main(argv: list[str] | None = None) -> int:
    """The command line; returns the exit status (1 on bad input, with the error on stderr)."""
    parser = argparse.ArgumentParser(
        prog="python -m stsn_allennlp.data.convert",
        description="Convert between SpERT JSON and DyGIE JSON lines.",
    )
    parser.add_argument("--to", choices=FORMATS, required=True, help="the output format")
    parser.add_argument("input", help="a file in the other format")
    parser.add_argument("output", help="the file to write")
    args = parser.parse_args(argv)
    try:
        count = convert(args.input, args.output, args.to)
    except (DataFormatError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"converted {count} sentences from {args.input} to {args.output} ({args.to})")
    return 0
