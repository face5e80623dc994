"""Fixture data laid out as SpERT's and DyGIE++'s downloads are, put in place by the data command,
and the config a user writes to train a dataset config on it with the tiny BERT."""

import json
import shutil
from pathlib import Path
from typing import Any

from stsn_allennlp.core.prepare import prepare
from stsn_allennlp.experiments.runs import with_fields
from tests import FIXTURE_DATA, REPO_ROOT, TINY_BERT

CONFIGS = REPO_ROOT / "training_config"
CONFIG_NAMES = sorted(path.stem for path in CONFIGS.glob("*.jsonnet"))
SPERT_TRAIN = FIXTURE_DATA / "spert_train.json"
SPERT_DEV = FIXTURE_DATA / "spert_dev.json"
DYGIE = FIXTURE_DATA / "dygie_train.jsonl"
TINY_BERT_FIELDS = {"model_name": str(TINY_BERT), "transformer_dim": 32}
NUM_FOLDS = 2
# The folder of `data/` that each config reads.
DATA_FOLDERS = {
    "conll04": "conll04",
    "conll04_cv": "conll04",
    "ade": "ade",
    "ade_full": "ade",
    "ace05": "ace05",
}
# The configs with a `fold::` field.
FOLD_CONFIGS = ("ade", "ade_full", "conll04_cv")


def conll04(root: Path) -> Path:
    """SpERT's CoNLL04 file names."""
    root.mkdir(parents=True)
    shutil.copy(SPERT_TRAIN, root / "conll04_train.json")
    shutil.copy(SPERT_DEV, root / "conll04_dev.json")
    return root


def ade_full(root: Path) -> Path:
    """SpERT's ADE split names, `NUM_FOLDS` folds of the fixture sentences (with overlaps)."""
    root.mkdir(parents=True)
    train, dev = _records(SPERT_TRAIN), _records(SPERT_DEV)
    folds = [(train, dev), (train[4:] + dev, train[:4])]
    for fold, (train_part, test_part) in enumerate(folds[:NUM_FOLDS]):
        _write(root / f"ade_split_{fold}_train.json", train_part)
        _write(root / f"ade_split_{fold}_test.json", test_part)
    return root


def ace05(root: Path) -> Path:
    """DyGIE++'s ACE05 file names (JSON lines)."""
    root.mkdir(parents=True)
    for name in ("train.json", "dev.json", "test.json"):
        shutil.copy(DYGIE, root / name)
    return root


def spert_datasets(root: Path) -> Path:
    """SpERT's `data/datasets` layout: `conll04/` and `ade/`."""
    conll04(root / "conll04")
    ade_full(root / "ade")
    return root


def prepared_data(tmp_path: Path) -> Path:
    """`tmp_path / "data"` as the data command writes it from the fixture downloads (once)."""
    data_dir = tmp_path / "data"
    if not data_dir.exists():
        prepare(spert_datasets(tmp_path / "spert"), ace05(tmp_path / "dygie_ace05"), data_dir)
    return data_dir


def user_config(config_name: str, tmp_path: Path, **fields: Any) -> Path:
    """
    The config a user writes to train `config_name` on the prepared fixture data with the tiny
    BERT, e.g. `(import ".../training_config/ade.jsonnet") + {data_dir:: ..., fold:: 1}`, with
    further hidden `fields`.
    """
    data_dir = prepared_data(tmp_path) / DATA_FOLDERS[config_name]
    settings = {"data_dir": str(data_dir), **TINY_BERT_FIELDS, **fields}
    path = tmp_path / f"my_{config_name}.jsonnet"
    path.write_text(with_fields(str(CONFIGS / f"{config_name}.jsonnet"), settings))
    return path


def _records(path: Path) -> list[dict]:
    return json.loads(path.read_text())


def _write(path: Path, records: list[dict]) -> None:
    path.write_text(json.dumps(records))
