"""`allennlp train` on an `stsn` config: a quiet console, the full log in the run folder, and no
run folder left by a run that stops before its first epoch ends."""

import json
import sys

import pytest
from allennlp.commands import main as allennlp_main
from tqdm import tqdm

from stsn_allennlp.cli.console import MAX_COLUMNS, bar_description, epoch_line
from stsn_allennlp.data import DataFormatError
from tests import FIXTURES

FIXTURE_CONFIG = FIXTURES / "stsn_fixture.jsonnet"


def train(monkeypatch, *argv: str) -> None:
    """`allennlp train ARGV` in this process."""
    monkeypatch.setattr(sys, "argv", ["allennlp", "train", *argv])
    allennlp_main()


def test_the_console_shows_one_line_per_epoch_and_the_log_keeps_everything(
    monkeypatch, tmp_path, capsys
):
    run = tmp_path / "run"
    train(monkeypatch, str(FIXTURE_CONFIG), "-s", str(run), "-o", '{"trainer.num_epochs": 2}')

    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[0] == f"training {FIXTURE_CONFIG} for 2 epochs into {run} (full log: {run}/out.log)"
    )
    assert [line[:11] for line in lines[1:3]] == ["epoch   1/2", "epoch   2/2"]
    assert lines[3].startswith("kept epoch ") and "dev F1 NER" in lines[3]
    assert lines[4:] == [
        f"model archive: {run}/model.tar.gz",
        f"metrics:       {run}/metrics.json (every score)",
        f"full log:      {run}/out.log",
    ]
    log = (run / "out.log").read_text()
    assert " - INFO - allennlp.common.params - trainer.num_epochs = 2" in log
    assert "Epoch duration" in log


def test_a_run_that_fails_before_its_first_epoch_leaves_no_folder(monkeypatch, tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text('[{"tokens": ["A"], "entities": [{"type": "X", "start": 0, "end": 5}]}]')
    run = tmp_path / "run"
    overrides = json.dumps({"train_data_path": str(broken)})
    with pytest.raises(DataFormatError):
        train(monkeypatch, str(FIXTURE_CONFIG), "-s", str(run), "-o", overrides)
    assert not run.exists()
    assert f"removed {run}: the run stopped before its first epoch ended" in capsys.readouterr().err


def test_a_validation_bar_fits_120_columns_and_keeps_its_counter():
    metrics = {"ner_f1_micro": 84.25, "re_f1_micro": 70.12, "re_plus_f1_micro": 65.44}
    metrics.update(ner_f1_macro=80.0, batch_loss=0.8154, loss=0.93802)
    description = bar_description(metrics)
    assert description == "NER 84.2, RE 70.1, RE+ 65.4, loss 0.938 |"
    bar = tqdm.format_meter(5, 29, 17.0, ncols=MAX_COLUMNS, prefix=description)
    assert len(bar) <= MAX_COLUMNS and "5/29" in bar


def test_an_epoch_line_holds_the_losses_and_the_dev_scores():
    metrics = {"epoch": 0, "training_loss": 1.9944, "validation_loss": 0.9380}
    metrics.update(validation_ner_f1_micro=84.25, validation_re_f1_micro=70.1)
    metrics.update(validation_re_plus_f1_micro=65.44)
    assert epoch_line(metrics, 99, "0:00:46.120000") == (
        "epoch   1/100  train loss 1.994  dev loss 0.938  dev F1 NER  84.2  RE  70.1  RE+  65.4"
        "  (0:00:46)"
    )
