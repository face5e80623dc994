"""Fixture data laid out as each dataset config expects it, and the external variables a user would
set to train a config on it with the tiny BERT."""
import json
import shutil
from pathlib import Path
from typing import Callable, Dict, List, Optional

from stsn_allennlp.experiments.ade_no_overlap import write_splits
from tests import FIXTURE_DATA, REPO_ROOT, TINY_BERT

CONFIGS = REPO_ROOT / "training_config"
CONFIG_NAMES = sorted(path.stem for path in CONFIGS.glob("*.jsonnet"))
SPERT_TRAIN = FIXTURE_DATA / "spert_train.json"
SPERT_DEV = FIXTURE_DATA / "spert_dev.json"
DYGIE = FIXTURE_DATA / "dygie_train.jsonl"
TINY_BERT_VARIABLES = {"STSN_MODEL_NAME": str(TINY_BERT), "STSN_TRANSFORMER_DIM": "32"}
NUM_FOLDS = 2


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


def ade(root: Path) -> Path:
    """The splits without overlapping entities, made as a user makes them."""
    write_splits(ade_full(root.parent / f"{root.name}_full"), root)
    return root


def ace05(root: Path) -> Path:
    """DyGIE++'s ACE05 file names (JSON lines)."""
    root.mkdir(parents=True)
    for name in ("train.json", "dev.json", "test.json"):
        shutil.copy(DYGIE, root / name)
    return root


LAYOUTS: Dict[str, Callable[[Path], Path]] = {
    "conll04": conll04,
    "ade": ade,
    "ade_full": ade_full,
    "ace05": ace05,
}


def user_variables(config_name: str, tmp_path: Path, fold: Optional[int] = None) -> Dict[str, str]:
    """The environment a user sets to train `config_name` on its fixture layout (with `STSN_FOLD`
    when `fold` is given)."""
    data_dir = LAYOUTS[config_name](tmp_path / "data" / config_name)
    variables = {"STSN_DATA_DIR": str(data_dir), **TINY_BERT_VARIABLES}
    if fold is not None:
        variables["STSN_FOLD"] = str(fold)
    return variables


def _records(path: Path) -> List[dict]:
    return json.loads(path.read_text())


def _write(path: Path, records: List[dict]) -> None:
    path.write_text(json.dumps(records))
