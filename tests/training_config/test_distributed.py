"""Distributed training (PyTorch DDP through AllenNLP) switched on by the documented override, here
with two CPU workers (gloo) on the fixtures."""

import json

import pytest
from allennlp.commands import train as train_command
from allennlp.commands.train import train_model_from_file
from allennlp.data.data_loaders import MultiProcessDataLoader
from allennlp.models.archival import load_archive
from allennlp.training.util import evaluate

import stsn_allennlp.components  # noqa: F401  (registers the components, as the allennlp command does)
from tests import FIXTURE_DATA, FIXTURES
from tests.forked import start_forked

CONFIG = FIXTURES / "stsn_fixture.jsonnet"
DEV = FIXTURE_DATA / "spert_dev.json"
# On GPUs: {"distributed": {"cuda_devices": [0, 1]}}; -1 puts a worker on the CPU.
TWO_CPU_WORKERS = {"distributed": {"cuda_devices": [-1, -1]}, "trainer.num_epochs": 1}


def test_two_workers_train_and_validate_with_the_metric_summed_across_workers(
    tmp_path, monkeypatch
):
    # AllenNLP spawns its workers; forked ones run the same training without re-importing
    monkeypatch.setattr(train_command.mp, "spawn", start_forked)
    train_model_from_file(CONFIG, tmp_path, overrides=json.dumps(TWO_CPU_WORKERS))

    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["training_loss"] > 0
    validation = {
        key[len("best_validation_") :]: value
        for key, value in metrics.items()
        if key.startswith("best_validation_") and key != "best_validation_loss"
    }
    assert {"ner_f1_micro", "_re_f1_macro", "re_plus_f1_micro", "_ner_Peop_f1"} <= set(validation)
    # each worker validated half of the dev sentences; the reduced scores are those of the whole
    # set, as one process scores it with the kept weights
    archive = load_archive(str(tmp_path / "model.tar.gz"))
    loader = MultiProcessDataLoader(archive.validation_dataset_reader, str(DEV), batch_size=4)
    loader.index_with(archive.model.vocab)
    alone = evaluate(archive.model, loader, cuda_device=-1)
    assert validation == pytest.approx({key: alone[key] for key in validation})
    assert validation["_ner_precision_micro"] > 0, "no entity predicted: the comparison is vacuous"
