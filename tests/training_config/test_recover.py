"""`allennlp train ... --recover` resumes an interrupted run from its last checkpoint."""

import json

import pytest
from allennlp.commands.train import train_model_from_file
from allennlp.common.util import SigTermReceived

import stsn_allennlp.components  # noqa: F401  (registers the components, as the allennlp command does)
from tests import FIXTURES
from tests.training_config.interrupt import TRAINED_BATCHES

CONFIG = FIXTURES / "stsn_fixture.jsonnet"
# two epochs, the second interrupted after its first batch; recovery needs the same configuration
OVERRIDES = json.dumps(
    {
        "trainer.num_epochs": 2,
        "trainer.callbacks": [{"type": "interrupt_once_for_tests", "epoch": 1}],
    }
)


def trained_epochs(run_dir):
    lines = (run_dir / TRAINED_BATCHES).read_text().split()
    return [int(epoch) for epoch in lines[::2]]


def test_recover_continues_an_interrupted_run_from_its_checkpoint(tmp_path):
    run_dir = tmp_path / "run"
    with pytest.raises(SigTermReceived):
        train_model_from_file(CONFIG, run_dir, overrides=OVERRIDES)
    batches_per_epoch = len(trained_epochs(run_dir))
    assert trained_epochs(run_dir) == [0] * batches_per_epoch
    epoch_0 = (run_dir / "metrics_epoch_0.json").read_text()
    assert not (run_dir / "metrics.json").exists()
    (run_dir / TRAINED_BATCHES).unlink()

    # what `allennlp train CONFIG -s RUN_DIR --recover -o OVERRIDES` runs; the callback is
    # registered, as `--include-package tests.training_config.interrupt` would register it
    train_model_from_file(CONFIG, run_dir, overrides=OVERRIDES, recover=True)

    # only epoch 1 was trained, all of it: epoch 0 came from the checkpoint
    assert trained_epochs(run_dir) == [1] * batches_per_epoch
    assert (run_dir / "metrics_epoch_0.json").read_text() == epoch_0
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["epoch"] == 1 and "validation_re_plus_f1_micro" in metrics
    assert (run_dir / "model.tar.gz").exists()
