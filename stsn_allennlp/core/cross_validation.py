"""
K-fold cross-validation splits of a data set, for an estimate of accuracy on unseen data.

A score on the data that chose the recipe or the kept epoch is biased upwards by the choice; the
test part of a fold played no part in training or in any choice made for that fold. Each sentence
lands in the test part of exactly one fold. The split depends on the seed alone, not on Python's
hash seed or the machine.

Plain Python: nothing here knows AllenNLP.
"""

import random
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from stsn_allennlp.core.sentence import Sentence
from stsn_allennlp.core.spert_json import write_spert

T = TypeVar("T")

DEFAULT_SEED = 2026
"""The seed of the shuffle behind the shipped CoNLL04 folds."""


def fold_assignment(num_items: int, num_folds: int, seed: int = DEFAULT_SEED) -> list[int]:
    """
    The fold of each item: a seeded shuffle dealt round-robin, so fold sizes differ by at most one.

    # Parameters

    num_items : `int`
        How many items to split.
    num_folds : `int`
        The number of folds, at least 2 and at most `num_items`.
    seed : `int`, optional (default = `DEFAULT_SEED`)
        The seed of the shuffle.
    """
    if not 2 <= num_folds <= num_items:
        raise ValueError(f"num_folds must lie in [2, {num_items}] for {num_items} items")
    order = list(range(num_items))
    random.Random(seed).shuffle(order)
    folds = [0] * num_items
    for rank, item in enumerate(order):
        folds[item] = rank % num_folds
    return folds


def split_fold(items: Sequence[T], folds: Sequence[int], fold: int) -> tuple[list[T], list[T]]:
    """The items outside fold `fold` (training) and inside it (test), each in their given order."""
    train = [item for item, assigned in zip(items, folds, strict=True) if assigned != fold]
    test = [item for item, assigned in zip(items, folds, strict=True) if assigned == fold]
    return train, test


def fold_file_name(prefix: str, fold: int, part: str) -> str:
    """The name `write_folds` gives one part (`"train"` or `"test"`) of one fold."""
    return f"{prefix}_{fold}_{part}.json"


def write_folds(
    sentences: Sequence[Sentence],
    output_dir: Path,
    prefix: str,
    num_folds: int,
    seed: int = DEFAULT_SEED,
) -> dict[str, int]:
    """
    Writes `{prefix}_{fold}_{train,test}.json` (SpERT JSON) for every fold.

    # Parameters

    sentences : `Sequence[Sentence]`
        The data to split.
    output_dir : `Path`
        Receives the files; created when missing.
    prefix : `str`
        The start of each file name, e.g. `conll04_cv`.
    num_folds : `int`
        The number of folds.
    seed : `int`, optional (default = `DEFAULT_SEED`)
        The seed of the shuffle.

    # Returns

    `Dict[str, int]`
        The number of sentences of each written file, by file name.
    """
    folds = fold_assignment(len(sentences), num_folds, seed)
    output_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for fold in range(num_folds):
        for part, chosen in zip(("train", "test"), split_fold(sentences, folds, fold), strict=True):
            name = fold_file_name(prefix, fold, part)
            counts[name] = write_spert(chosen, output_dir / name)
    return counts
