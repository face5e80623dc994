"""An archive trained on a local encoder folder predicts from any directory, and after the folder is
gone: it holds the folder's configuration and tokenizer (`stsn_allennlp.archive_encoder`)."""

import json
import shutil
import sys
import tarfile
from pathlib import Path

import torch
from allennlp.commands import main as allennlp_main
from allennlp.commands.train import train_model_from_file

from stsn_allennlp.archive_encoder import ENCODER_DIR, resolve_encoder
from stsn_allennlp.predictors.archive import load_stsn_archive
from tests import FIXTURE_DATA, FIXTURES, TINY_BERT

CONFIG = FIXTURES / "stsn_fixture.jsonnet"
SENTENCES = ["John Smith works for Acme Corp. in Boston.", "Mary Jones lives in Paris."]


def predict(monkeypatch, archive: Path, folder: Path) -> list:
    """`allennlp predict ARCHIVE ... --predictor stsn` run in `folder`; its output lines."""
    inputs, outputs = folder / "in.jsonl", folder / "out.jsonl"
    inputs.write_text("".join(json.dumps({"sentence": s}) + "\n" for s in SENTENCES), "utf-8")
    monkeypatch.chdir(folder)
    monkeypatch.setattr(
        sys,
        "argv",
        [
            "allennlp",
            "predict",
            str(archive.resolve()),
            "in.jsonl",
            "--predictor",
            "stsn",
            "--include-package",
            "stsn_allennlp",
            "--output-file",
            "out.jsonl",
            "--silent",
        ],
    )
    allennlp_main()
    return [json.loads(line) for line in outputs.read_text("utf-8").splitlines()]


def test_the_fixture_archive_predicts_from_another_directory(monkeypatch, tmp_path, archive):
    # trained with model_name "fixtures/tiny_bert", relative to the repository root
    with tarfile.open(archive) as members:
        names = set(members.getnames())
    assert f"{ENCODER_DIR}/config.json" in names and f"{ENCODER_DIR}/vocab.txt" in names
    assert not any(name.endswith(".safetensors") for name in names)  # weights are in weights.th
    assert len(predict(monkeypatch, archive, tmp_path)) == len(SENTENCES)


def test_the_archive_predicts_after_its_encoder_folder_is_deleted(monkeypatch, tmp_path):
    encoder = tmp_path / "tiny_bert"
    shutil.copytree(TINY_BERT, encoder)
    overrides = {  # model_name relative to the training folder
        "trainer.num_epochs": 1,
        "train_data_path": str(FIXTURE_DATA / "spert_train.json"),
        "validation_data_path": str(FIXTURE_DATA / "spert_dev.json"),
        "model.text_field_embedder.token_embedders.tokens.model_name": "tiny_bert",
    }
    for reader in ("dataset_reader", "validation_dataset_reader"):
        overrides.update({f"{reader}.model_name": "tiny_bert", f"{reader}.max_instances": 4})
    with monkeypatch.context() as training:
        training.chdir(tmp_path)
        train_model_from_file(CONFIG, tmp_path / "run", overrides=json.dumps(overrides))
    archive = tmp_path / "run" / "model.tar.gz"
    shutil.rmtree(encoder)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert len(predict(monkeypatch, archive, elsewhere)) == len(SENTENCES)
    # the transformer built from the copied configuration has exactly the trained parameters
    trained = torch.load(tmp_path / "run" / "best.th", map_location="cpu")
    assert set(load_stsn_archive(archive).model.state_dict()) == set(trained)


def test_a_hub_name_or_no_serialization_dir_is_left_as_it_is(tmp_path):
    assert resolve_encoder("bert-base-cased", str(tmp_path)) == ("bert-base-cased", False)
    assert resolve_encoder(str(TINY_BERT), None) == (str(TINY_BERT), False)
    assert not (tmp_path / ENCODER_DIR).exists()


def test_a_trained_model_uses_the_copy_without_the_weights(tmp_path):
    assert resolve_encoder(str(TINY_BERT), str(tmp_path)) == (str(TINY_BERT), False)  # training
    copied = sorted(path.name for path in (tmp_path / ENCODER_DIR).iterdir())
    assert copied == sorted(p.name for p in TINY_BERT.iterdir() if p.suffix != ".safetensors")
    (tmp_path / "best.th").touch()  # now a trained model's serialization directory
    assert resolve_encoder("gone", str(tmp_path)) == (str(tmp_path / ENCODER_DIR), True)
