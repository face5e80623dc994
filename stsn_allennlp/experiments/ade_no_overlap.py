"""
Writes the ADE splits without the sentences that hold overlapping entities.

    python -m stsn_allennlp.experiments.ade_no_overlap SOURCE_DIR OUTPUT_DIR

The paper evaluates two versions of ADE (following Eberts and Ulges 2019 and Wang and Lu 2020): the
full data set, 119 of whose 4272 sentences hold overlapping entities
(`training_config/ade_full.jsonnet` reads SpERT's splits as they are), and the data set without
those sentences
(`training_config/ade.jsonnet`). This command reads SpERT's ten splits
`ade_split_{fold}_{train,test}.json` from SOURCE_DIR and writes
`ade_no_overlap_split_{fold}_{train,test}.json` to OUTPUT_DIR, each without the sentences in which
two entities share a token. It prints how many sentences each file kept and dropped.
`python -m stsn_allennlp.data.prepare` runs it when it puts ADE into `data/ade`.
"""

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from stsn_allennlp.data import Entity, Sentence, read_spert, write_spert

SPLIT_FILE = re.compile(r"ade_split_(\d+)_(train|test)\.json")
OUTPUT_PREFIX = "ade_no_overlap_split"


def has_overlapping_entities(entities: Sequence[Entity]) -> bool:
    """
    Whether two entities of different spans share a token (the same span with two types does not
    count: it is one mention).

    # Parameters

    entities : `Sequence[Entity]`
        End-exclusive entities.
    """
    spans = sorted({(entity.start, entity.end) for entity in entities})
    return any(
        later_start < end
        for index, (_, end) in enumerate(spans)
        for later_start, _ in spans[index + 1 :]
    )


def without_overlaps(sentences: Sequence[Sentence]) -> tuple[list[Sentence], int]:
    """
    The sentences without overlapping entities, and how many were dropped.

    # Parameters

    sentences : `Sequence[Sentence]`
        The sentences of one file.
    """
    kept = [sentence for sentence in sentences if not has_overlapping_entities(sentence.entities)]
    return kept, len(sentences) - len(kept)


def write_splits(source_dir: Path, output_dir: Path) -> dict[str, tuple[int, int]]:
    """
    Filters every SpERT split of `source_dir` into `output_dir`.

    # Parameters

    source_dir : `Path`
        Holds `ade_split_{fold}_{train,test}.json`.
    output_dir : `Path`
        Receives `ade_no_overlap_split_{fold}_{train,test}.json`; created when missing.

    # Returns

    `Dict[str, Tuple[int, int]]`
        For each written file, the number of sentences kept and dropped.

    # Raises

    `FileNotFoundError` when `source_dir` holds no split; `DataFormatError` on an invalid file.
    """
    sources = sorted(
        path for path in source_dir.glob("ade_split_*.json") if SPLIT_FILE.fullmatch(path.name)
    )
    if not sources:
        raise FileNotFoundError(f"{source_dir} holds no ade_split_{{fold}}_{{train,test}}.json")
    output_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for source in sources:
        fold, split = SPLIT_FILE.fullmatch(source.name).groups()  # type: ignore[union-attr]
        kept, dropped = without_overlaps(read_spert(source))
        target = output_dir / f"{OUTPUT_PREFIX}_{fold}_{split}.json"
        write_spert(kept, target)
        counts[target.name] = (len(kept), dropped)
    return counts


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
