"""
The ADE splits without the sentences that hold overlapping entities (the data of
`training_config/ade.jsonnet`).

The paper evaluates two versions of ADE (following Eberts and Ulges 2019 and Wang and Lu 2020): the
full data set, 119 of whose 4272 sentences hold overlapping entities
(`training_config/ade_full.jsonnet` reads SpERT's splits as they are), and the data set without
those sentences
(`training_config/ade.jsonnet`). `write_splits` reads SpERT's ten splits
`ade_split_{fold}_{train,test}.json` from one folder and writes
`ade_no_overlap_split_{fold}_{train,test}.json` to another, each without the sentences in which
two entities share a token. The commands `python -m stsn_allennlp.experiments.ade_no_overlap` and
`python -m stsn_allennlp.data.prepare` (when it puts ADE into `data/ade`) run it.
"""

import re
from collections.abc import Sequence
from pathlib import Path

from stsn_allennlp.core.sentence import Entity, Sentence
from stsn_allennlp.core.spans import satisfies
from stsn_allennlp.core.spert_json import read_spert, write_spert

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
    return not satisfies("none", sorted({entity.span for entity in entities}))


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
