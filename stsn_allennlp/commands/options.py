"""Options that several commands share."""

import argparse


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
