"""`allennlp train` stops on a misspelt hidden field or trainer key, before any run folder."""

import json
import sys

import pytest
from allennlp.commands import main as allennlp_main
from allennlp.common import Params

from stsn_allennlp.cli import CommandError
from stsn_allennlp.cli.config_checks import check_trainer_keys, hidden_fields, template_fields
from tests import FIXTURES
from tests.training_config.layouts import CONFIG_NAMES, user_config

FIXTURE_CONFIG = FIXTURES / "stsn_fixture.jsonnet"


def train(monkeypatch, *argv: str) -> None:
    """`allennlp train ARGV` in this process."""
    monkeypatch.setattr(sys, "argv", ["allennlp", "train", *argv])
    allennlp_main()


def test_a_misspelt_hidden_field_stops_with_the_nearest_name(monkeypatch, tmp_path):
    config = tmp_path / "my_config.jsonnet"
    config.write_text(f'(import "{FIXTURE_CONFIG}") + {{num_epoch:: 1}}')
    with pytest.raises(CommandError) as stopped:
        train(monkeypatch, str(config), "-s", str(tmp_path / "run"))
    assert f"{config}: unknown hidden field num_epoch:: (did you mean num_epochs?)" in str(
        stopped.value
    )
    assert not (tmp_path / "run").exists()


def test_a_misspelt_trainer_override_stops_with_the_nearest_name(monkeypatch, tmp_path):
    overrides = json.dumps({"trainer.num_epoch": 1})
    with pytest.raises(CommandError, match=r"trainer.num_epoch \(did you mean num_epochs\?\)"):
        train(monkeypatch, str(FIXTURE_CONFIG), "-s", str(tmp_path / "run"), "-o", overrides)
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("config_name", CONFIG_NAMES)
def test_the_shipped_configs_pass_both_checks(config_name, tmp_path):
    config = user_config(config_name, tmp_path, num_epochs=1)
    assert hidden_fields(str(config)) <= template_fields()
    check_trainer_keys(str(config), Params.from_file(str(config)).as_dict())  # raises if unknown
