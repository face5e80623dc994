"""Write the HTML view of a predictions file.

    python -m stsn_allennlp.visualize PREDICTIONS.jsonl [--gold GOLD.json] [--symmetric TYPE ...]
        [--title TITLE] -o view.html

One self-contained HTML file (no network: inline CSS, script and SVG). Error records of the
predictor are skipped, each with a message on stderr naming the file and the line (and on the
page). A file that cannot be read or is not valid, or a gold file that does not hold the
predictions' sentences in order, ends the command with exit status 1 and a message on stderr.
"""

import argparse
import sys
from pathlib import Path

from stsn_allennlp.commands.options import add_symmetric_argument
from stsn_allennlp.core import DataFormatError
from stsn_allennlp.core.alignment import InputError
from stsn_allennlp.visualize.view import build_view


def main(argv: list[str] | None = None) -> int:
    """
    Runs the command; returns its exit status.

    # Parameters

    argv : `Optional[List[str]]`, optional (default = `None`)
        The arguments; `None` reads `sys.argv`.
    """
    parser = argparse.ArgumentParser(
        prog="python -m stsn_allennlp.visualize",
        description="Write one self-contained HTML page of predicted entities and relations, "
        "marked correct, missed or spurious against a gold file (strict RE+) when given.",
    )
    parser.add_argument("predictions", help="predictions, JSON lines (allennlp predict's output)")
    parser.add_argument("--gold", help="gold file, SpERT JSON (or JSON lines), same sentences")
    add_symmetric_argument(parser)
    parser.add_argument("--title", help="the page's title (default: the files' names)")
    parser.add_argument("-o", "--output", required=True, help="the HTML file to write")
    args = parser.parse_args(argv)
    try:
        view = build_view(args.predictions, args.gold, frozenset(args.symmetric), args.title)
    except (DataFormatError, InputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for message in view.skipped:
        print(f"warning: {message}", file=sys.stderr)
    Path(args.output).write_text(view.html, encoding="utf-8")
    print(f"wrote {args.output}: {view.sentences} sentences, {len(view.html) / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
