"""
Writes the ADE splits without the sentences that hold overlapping entities.

    python -m stsn_allennlp.experiments.ade_no_overlap SOURCE_DIR OUTPUT_DIR

Reads SpERT's ten splits `ade_split_{fold}_{train,test}.json` from SOURCE_DIR and writes
`ade_no_overlap_split_{fold}_{train,test}.json` to OUTPUT_DIR, each without the sentences in which
two entities share a token (`stsn_allennlp.core.ade_no_overlap`). It prints how many sentences
each file kept and dropped.
"""

import argparse
import sys
from pathlib import Path

from stsn_allennlp.core.ade_no_overlap import write_splits


def main(argv: list[str] | None = None) -> int:
    """
    Runs the command; returns its exit status.

    # Parameters

    argv : `Optional[List[str]]`, optional (default = `None`)
        The arguments; `None` reads `sys.argv`.
    """
    parser = argparse.ArgumentParser(
        prog="python -m stsn_allennlp.experiments.ade_no_overlap",
        description="Write SpERT's ADE splits without the sentences holding overlapping entities.",
    )
    parser.add_argument("source_dir", type=Path, help="folder of SpERT's ade_split_*.json")
    parser.add_argument("output_dir", type=Path, help="folder for ade_no_overlap_split_*.json")
    args = parser.parse_args(argv)
    try:
        counts = write_splits(args.source_dir, args.output_dir)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for name, (kept, dropped) in counts.items():
        print(f"{args.output_dir / name}: {kept} sentences kept, {dropped} dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
