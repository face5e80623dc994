"""Test configuration: everything runs offline against the fixtures, from the repository root."""
import os

import pytest

from tests import REPO_ROOT

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"


@pytest.fixture(autouse=True)
def _run_from_repository_root(monkeypatch):
    """Configs name fixture paths relative to the repository root, as a user's command line would."""
    monkeypatch.chdir(REPO_ROOT)
