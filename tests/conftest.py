"""Test configuration: everything runs offline against the fixtures, from the repository root."""

import contextlib
import io
import json
import os
from pathlib import Path
from typing import NamedTuple

import pytest
from allennlp.commands.train import train_model_from_file
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
    """A model trained for one epoch on the fixture data (what it predicts does not matter), for
    the predictor's and the server's tests."""
    serialization_dir = tmp_path_factory.mktemp("predictor_run")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(REPO_ROOT)  # the config names its data relative to the repository
        train_model_from_file(
            FIXTURES / "stsn_fixture.jsonnet",
            serialization_dir,
            overrides=json.dumps({"trainer.num_epochs": 1}),
        )
    return serialization_dir / "model.tar.gz"


@pytest.fixture(scope="session")
def predictor(archive) -> StsnPredictor:
    """The `stsn` predictor over `archive`."""
    return Predictor.from_path(archive, "stsn")
