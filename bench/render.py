"""Renders a benchmark's Markdown report again from its JSON results alone.

    python -m bench.render SCRIPT [--name NAME] [--output-dir DIR]

SCRIPT is a script of `bench/` (e.g. `speed`); its `report` function renders
`<output-dir>/<name>.md` (default name: SCRIPT) from `<output-dir>/<name>.json`. Use it after
changing a report's wording: the figures stay those measured.
"""

import argparse
import importlib

from bench.common import add_output_arguments, render_report

SCRIPTS = (
    "accuracy",
    "ade",
    "argument_types",
    "extract",
    "long_sentences",
    "scaling",
    "serve",
    "speed",
    "threshold",
    "visualize",
    "worst_case",
)
"""The scripts whose `report(results)` renders their Markdown from their JSON."""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("script", choices=SCRIPTS)
    parser.add_argument("--name", help="the result files' name (default: the script's)")
    add_output_arguments(parser)
    args = parser.parse_args()
    script = importlib.import_module(f"bench.{args.script}")
    render_report(args.output_dir, args.name or args.script, script.report)


if __name__ == "__main__":
    main()
