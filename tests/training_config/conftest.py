"""The configs read external variables from the environment: tests start from one without any."""
import os

import pytest


@pytest.fixture(autouse=True)
def _no_stsn_variables(monkeypatch):
    for name in [name for name in os.environ if name.startswith("STSN_")]:
        monkeypatch.delenv(name)


@pytest.fixture
def setenv(monkeypatch):
    """Sets environment variables for one test, as a user's shell would."""

    def set_all(variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)

    return set_all
