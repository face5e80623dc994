"""Test configuration: everything runs offline against the fixtures, from the repository root."""

import contextlib
import io
import os
from pathlib import Path
from typing import NamedTuple

import pytest
import torch
from allennlp.common import Params
from allennlp.data import DatasetReader, Vocabulary
from allennlp.models import Model
from allennlp.models.archival import archive_model
from allennlp.predictors import Predictor

from stsn_allennlp.commands.prepare import main as prepare_main
from stsn_allennlp.predictors import StsnPredictor
from tests import FIXTURES, REPO_ROOT, SHARED_DATA

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


@pytest.fixture(autouse=True)
def _run_from_repository_root(monkeypatch):
    """Configs name fixture paths relative to the repository root, as a user's command line would."""
    monkeypatch.chdir(REPO_ROOT)


class PreparedData(NamedTuple):
    """The data command's run over the shared data: `root / "data"` holds what it wrote."""

    root: Path
    output: str


@pytest.fixture(scope="session")
def shared_data_prepared(tmp_path_factory) -> PreparedData:
    """
    `python -m stsn_allennlp.data.prepare --from ../shared/data` run once for the session (it
    takes seconds over ADE's ten folds); skips where the shared data is absent.
    """
    if not SHARED_DATA.exists():
        pytest.skip(f"{SHARED_DATA} is absent (the shared data lies beside the repository)")
    root = tmp_path_factory.mktemp("prepared")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert prepare_main(["--from", str(SHARED_DATA), "--to", str(root / "data")]) == 0
    return PreparedData(root, printed.getvalue())


@pytest.fixture(scope="session")
def archive(tmp_path_factory) -> Path:
    """The fixture config's model, built and archived untrained (what it predicts does not
    matter), for the predictor's and the server's tests."""
    folder = tmp_path_factory.mktemp("predictor_run")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(REPO_ROOT)  # the config names its data relative to the repository
        return archive_untrained_model(FIXTURES / "stsn_fixture.jsonnet", folder)


def archive_untrained_model(config: Path, folder: Path) -> Path:
    """
    `folder/model.tar.gz`: the model of `config`, initialized and archived as training would
    (config, vocabulary of the training data, the encoder's files) without a training step.
    """
    params = Params.from_file(str(config))
    params.to_file(str(folder / "config.json"))
    # built with the serialization directory, the reader and the embedder copy the encoder's files
    reader = DatasetReader.from_params(params.pop("dataset_reader"), serialization_dir=str(folder))
    vocab = Vocabulary.from_instances(reader.read(params.pop("train_data_path")))
    vocab.save_to_files(str(folder / "vocabulary"))
    model = Model.from_params(
        vocab=vocab, params=params.pop("model"), serialization_dir=str(folder)
    )
    torch.save(model.state_dict(), folder / "weights.th")
    archive_model(str(folder), weights="weights.th", include_in_archive=["encoder"])
    return folder / "model.tar.gz"


@pytest.fixture(scope="session")
def predictor(archive) -> StsnPredictor:
    """The `stsn` predictor over `archive`."""
    return Predictor.from_path(archive, "stsn")
