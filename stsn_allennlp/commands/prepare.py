"""
Puts the data sets where the configs of `training_config/` read them (`stsn_allennlp.core.prepare`
says which files go where):

    python -m stsn_allennlp.data.prepare --from SOURCE_DIR [--ace05 DYGIE_DIR] [--to DATA_DIR]
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from stsn_allennlp.core.prepare import DATA_DIR, FOLD, SPERT_DATASETS, prepare
from stsn_allennlp.core.sentence import DataFormatError


def _report(prepared: dict[str, dict[str, int]], data_dir: Path) -> list[str]:
    """One line per file written, or per kind of file over the folds of a data set."""
    lines = []
    for dataset, counts in prepared.items():
        kinds: dict[str, list[int]] = {}
        for name, sentences in counts.items():
            kinds.setdefault(FOLD.sub("_{fold}_", name), []).append(sentences)
        for kind, sizes in kinds.items():
            files = f"{len(sizes)} files, " if len(sizes) > 1 else ""
            lines.append(f"{data_dir / dataset / kind}: {files}{sum(sizes)} sentences")
    configs: dict[str, tuple[str, ...]] = {
        name: configs for name, (_, configs) in SPERT_DATASETS.items()
    }
    configs["ace05"] = ("ace05",)
    lines += ["", "Train with, from the repository root:"]
    lines += [
        f"  allennlp train training_config/{config}.jsonnet -s runs/{config}"
        for dataset in prepared
        for config in configs[dataset]
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """
    Runs the command; returns its exit status.

    # Parameters

    argv : `Optional[Sequence[str]]`, optional (default = `None`)
        The arguments; `None` reads `sys.argv`.
    """
    parser = argparse.ArgumentParser(
        prog="python -m stsn_allennlp.data.prepare",
        description="Put CoNLL04 and ADE (from a folder of SpERT's files) and ACE05 (from "
        "DyGIE++'s preprocessing) where the configs of training_config/ read them; ADE is also "
        "written without the sentences that hold overlapping entities.",
    )
    parser.add_argument(
        "--from",
        dest="source_dir",
        type=Path,
        metavar="SOURCE_DIR",
        help="a folder holding SpERT's conll04/ and/or ade/ folders (e.g. ../shared/data)",
    )
    parser.add_argument(
        "--ace05",
        type=Path,
        metavar="DYGIE_DIR",
        help="a folder holding DyGIE++'s ACE05 train.json, dev.json and test.json",
    )
    parser.add_argument(
        "--to",
        dest="data_dir",
        type=Path,
        default=DATA_DIR,
        metavar="DATA_DIR",
        help="where the data sets go, one folder each (default: data, which the configs read)",
    )
    args = parser.parse_args(argv)
    if args.source_dir is None and args.ace05 is None:
        parser.error("give --from SOURCE_DIR, --ace05 DYGIE_DIR or both")
    try:
        prepared = prepare(args.source_dir, args.ace05, args.data_dir)
    except (OSError, DataFormatError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print("\n".join(_report(prepared, args.data_dir)))
    return 0
