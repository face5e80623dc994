"""The template's accuracy switches: each builds and trains on the fixtures, and the optimizer's
parameter groups put every parameter where the documentation says."""
import json
import re

import pytest
from allennlp.commands.train import train_model_from_file
from allennlp.common import Params
from allennlp.data import Vocabulary
from allennlp.models import Model
from allennlp.training.optimizers import Optimizer

import stsn_allennlp  # noqa: F401  (registers the components)
from tests import FIXTURES

LEVERS = {
    "entity-overlap-none": {"entity_overlap": "none"},
    "predicted-tags": {"gold_tag_probability": 0.0},
    "gradient-clipping": {"grad_norm": 1.0},
    "task-learning-rate": {"task_learning_rate": 1e-2},
}


def _config(tmp_path, settings) -> str:
    """A user config: the fixture config with hidden template fields set."""
    fields = ", ".join(f"{name}:: {json.dumps(value)}" for name, value in settings.items())
    path = tmp_path / "config.jsonnet"
    path.write_text(f'(import "{FIXTURES / "stsn_fixture.jsonnet"}") + {{{fields}}}')
    return str(path)


@pytest.mark.parametrize("settings", LEVERS.values(), ids=LEVERS.keys())
def test_each_switch_builds_and_trains(settings, tmp_path):
    config = _config(tmp_path, settings)
    train_model_from_file(config, tmp_path / "run", overrides=json.dumps({"trainer.num_epochs": 1}))
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["training_loss"] > 0
    effective = Params.from_file(str(tmp_path / "run" / "config.json")).as_flat_dict()
    expected = {
        "entity_overlap": ("model.entity_overlap", "none"),
        "gold_tag_probability": ("model.gold_tag_probability", 0.0),
        "grad_norm": ("trainer.grad_norm", 1.0),
    }
    for name in settings.keys() & expected.keys():
        key, value = expected[name]
        assert effective[key] == value


def _groups(tmp_path, settings):
    params = Params.from_file(_config(tmp_path, settings))
    vocab = Vocabulary.from_instances([])
    model = Model.from_params(vocab=vocab, params=params["model"])
    optimizer = Optimizer.from_params(
        model_parameters=list(model.named_parameters()), params=params["trainer"]["optimizer"]
    )
    names = {id(parameter): name for name, parameter in model.named_parameters()}
    return {
        names[id(parameter)]: (group["lr"], group["weight_decay"])
        for group in optimizer.param_groups
        for parameter in group["params"]
    }


NO_DECAY = re.compile(r"(bias|[Nn]orm\.weight)$")


@pytest.mark.parametrize("task_learning_rate", [None, 1e-2])
def test_no_weight_decay_on_biases_and_norms_and_task_rate_outside_the_transformer(
    tmp_path, task_learning_rate
):
    groups = _groups(tmp_path, {"task_learning_rate": task_learning_rate})
    # STSN's own norms are among the parameters that must not be decayed
    assert any(name.endswith("attention_norm.weight") for name in groups)
    assert any(name.endswith("feed_forward_norm.weight") for name in groups)
    for name, (lr, weight_decay) in groups.items():
        assert weight_decay == (0.0 if NO_DECAY.search(name) else 0.01), name
        in_transformer = name.startswith("_text_field_embedder")
        expected_lr = 3e-3 if in_transformer or task_learning_rate is None else task_learning_rate
        assert lr == expected_lr, name
