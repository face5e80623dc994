"""
Puts the data sets where the configs of `training_config/` read them (the library of `python -m
stsn_allennlp.data.prepare --from SOURCE_DIR [--ace05 DYGIE_DIR] [--to DATA_DIR]`).

- `--from SOURCE_DIR`: a folder of SpERT's files as SpERT's `scripts/fetch_datasets.sh` lays them
  out (its `data/datasets`; ours is `../shared/data`): `conll04/conll04_{train,dev}.json` (and
  `conll04_test.json` when present) go to `DATA_DIR/conll04/`, with five cross-validation folds
  over train + dev, `conll04_cv_{fold}_{train,test}.json` (for `conll04_cv.jsonnet`: an estimate
  of accuracy on data that chose nothing); ADE's ten splits
  `ade/ade_split_{fold}_{train,test}.json` go to `DATA_DIR/ade/` (for `ade_full.jsonnet`), together
  with the same splits without the sentences that hold overlapping entities,
  `ade_no_overlap_split_{fold}_{train,test}.json` (for `ade.jsonnet`; written by
  `stsn_allennlp.core.ade_no_overlap`). A data set missing from SOURCE_DIR is skipped.
- `--ace05 DYGIE_DIR`: ACE05 as DyGIE++'s `scripts/data/ace05` preprocessing writes it (its
  `data/ace05/processed-data/json`): `train.json`, `dev.json` and `test.json` go to
  `DATA_DIR/ace05/`.
- `DATA_DIR` defaults to `data`, the folder the configs read when `allennlp train` runs from the
  repository root (git ignores it).

Every file is read and validated before it is copied (its bytes unchanged), so a malformed or
truncated download stops the command with the file and the record at fault. Running the command
again overwrites the files with the same content.
"""

import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from stsn_allennlp.core.ade_no_overlap import SPLIT_FILE, write_splits
from stsn_allennlp.core.cross_validation import write_folds
from stsn_allennlp.core.dygie_json import read_dygie
from stsn_allennlp.core.spert_json import read_spert

DATA_DIR = Path("data")
CONLL04_REQUIRED = ("conll04_train.json", "conll04_dev.json")
CONLL04_OPTIONAL = ("conll04_test.json",)
CONLL04_CV_PREFIX = "conll04_cv"
CONLL04_CV_FOLDS = 5
ACE05_FILES = ("train.json", "dev.json", "test.json")
FOLD = re.compile(r"_\d+_")


def prepare_conll04(source_dir: Path, output_dir: Path) -> dict[str, int]:
    """
    Copies CoNLL04's splits (SpERT's file names) from `source_dir` into `output_dir`, and writes
    there `CONLL04_CV_FOLDS` cross-validation folds over train + dev,
    `conll04_cv_{fold}_{train,test}.json` (`stsn_allennlp.core.cross_validation`).

    # Parameters

    source_dir : `Path`
        Holds `conll04_train.json` and `conll04_dev.json`, and maybe `conll04_test.json`.
    output_dir : `Path`
        Receives the same files and the folds; created when missing.

    # Returns

    `Dict[str, int]`
        The number of sentences of each written file, by file name.

    # Raises

    `FileNotFoundError` when a required split is missing; `DataFormatError` on an invalid file.
    """
    names = list(CONLL04_REQUIRED) + [n for n in CONLL04_OPTIONAL if (source_dir / n).exists()]
    counts = _copy_validated(source_dir, output_dir, names, lambda path: len(read_spert(path)))
    train_and_dev = [
        sentence for name in CONLL04_REQUIRED for sentence in read_spert(source_dir / name)
    ]
    counts.update(write_folds(train_and_dev, output_dir, CONLL04_CV_PREFIX, CONLL04_CV_FOLDS))
    return counts


def prepare_ade(source_dir: Path, output_dir: Path) -> dict[str, int]:
    """
    Copies ADE's splits from `source_dir` into `output_dir` and writes them there without the
    sentences holding overlapping entities (`stsn_allennlp.core.ade_no_overlap`).

    # Parameters

    source_dir : `Path`
        Holds SpERT's `ade_split_{fold}_{train,test}.json`.
    output_dir : `Path`
        Receives those files and `ade_no_overlap_split_{fold}_{train,test}.json`; created when
        missing.

    # Returns

    `Dict[str, int]`
        The number of sentences of each written file, by file name.

    # Raises

    `FileNotFoundError` when `source_dir` holds no split; `DataFormatError` on an invalid file.
    """
    names = sorted(
        path.name for path in source_dir.glob("ade_split_*.json") if SPLIT_FILE.fullmatch(path.name)
    )
    if not names:
        raise FileNotFoundError(f"{source_dir} holds no ade_split_{{fold}}_{{train,test}}.json")
    counts = _copy_validated(source_dir, output_dir, names, lambda path: len(read_spert(path)))
    counts.update({name: kept for name, (kept, _) in write_splits(source_dir, output_dir).items()})
    return counts


def prepare_ace05(source_dir: Path, output_dir: Path) -> dict[str, int]:
    """
    Copies ACE05 as DyGIE++ preprocesses it (JSON lines, one document per line) from `source_dir`
    into `output_dir`.

    # Parameters

    source_dir : `Path`
        Holds `train.json`, `dev.json` and `test.json`.
    output_dir : `Path`
        Receives the same files; created when missing.

    # Returns

    `Dict[str, int]`
        The number of sentences of each written file, by file name.

    # Raises

    `FileNotFoundError` when a split is missing; `DataFormatError` on an invalid file.
    """
    return _copy_validated(
        source_dir, output_dir, ACE05_FILES, lambda path: sum(1 for _ in read_dygie(path))
    )


def _copy_validated(
    source_dir: Path, output_dir: Path, names: Iterable[str], count: Callable[[Path], int]
) -> dict[str, int]:
    """Validates every file first (`count` reads it), then copies them all."""
    names = list(names)
    missing = [name for name in names if not (source_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{source_dir} lacks {', '.join(missing)}")
    counts = {name: count(source_dir / name) for name in names}
    output_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        target = output_dir / name
        if not (target.exists() and target.samefile(source_dir / name)):
            shutil.copyfile(source_dir / name, target)
    return counts


# The data sets of a SpERT folder: sub-folder, preparation, the configs that read the result.
SPERT_DATASETS = {
    "conll04": (prepare_conll04, ("conll04", "conll04_cv")),
    "ade": (prepare_ade, ("ade", "ade_full")),
}


def prepare(
    source_dir: Path | None, ace05_dir: Path | None, data_dir: Path = DATA_DIR
) -> dict[str, dict[str, int]]:
    """
    Prepares every data set found (see the module's docstring).

    # Parameters

    source_dir : `Optional[Path]`
        A folder holding SpERT's `conll04/` and/or `ade/` folders.
    ace05_dir : `Optional[Path]`
        A folder holding DyGIE++'s ACE05 `train.json`, `dev.json` and `test.json`.
    data_dir : `Path`, optional (default = `Path("data")`)
        Receives one folder per data set.

    # Returns

    `Dict[str, Dict[str, int]]`
        By data set, the number of sentences of each written file.

    # Raises

    `FileNotFoundError` when `source_dir` holds no data set or a data set lacks a file;
    `DataFormatError` on an invalid file.
    """
    prepared: dict[str, dict[str, int]] = {}
    if source_dir is not None:
        found = [name for name in SPERT_DATASETS if (source_dir / name).is_dir()]
        if not found:
            raise FileNotFoundError(
                f"{source_dir} holds neither conll04/ nor ade/ (SpERT's data/datasets layout)"
            )
        for name in found:
            preparation, _ = SPERT_DATASETS[name]
            prepared[name] = preparation(source_dir / name, data_dir / name)
    if ace05_dir is not None:
        prepared["ace05"] = prepare_ace05(ace05_dir, data_dir / "ace05")
    return prepared
