"""The template's accuracy switches: each sets its parameter, builds and takes a training step on
the fixtures, and the optimizer's parameter groups put every parameter where the documentation
says."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
import torch
from allennlp.common import Params
from allennlp.data import Batch, DatasetReader, Vocabulary
from allennlp.models import Model
from allennlp.training.optimizers import Optimizer

import stsn_allennlp.components  # noqa: F401  (registers the components)
from stsn_allennlp.data.fields import WORD_SHAPES
from tests import FIXTURES

LEVERS = {
    "entity-overlap-none": {"entity_overlap": "none"},
    "predicted-tags": {"gold_tag_probability": 0.0},
    "gradient-clipping": {"grad_norm": 1.0},
    "task-learning-rate": {"task_learning_rate": 1e-2},
    "word-shapes": {"word_shape_dim": 4},
}
# Where a switch lands in the effective configuration (the task learning rate: in the optimizer's
# parameter groups, checked below).
SETS = {
    "entity-overlap-none": ("model.entity_overlap", "none"),
    "predicted-tags": ("model.gold_tag_probability", 0.0),
    "gradient-clipping": ("trainer.grad_norm", 1.0),
    "word-shapes": ("model.text_field_embedder.token_embedders.word_shapes.embedding_dim", 4),
}
NO_DECAY = re.compile(r"(bias|[Nn]orm\.weight)$")


def _config(tmp_path: Path, settings: dict[str, Any]) -> Params:
    """A user config: the fixture config with hidden template fields set."""
    fields = ", ".join(f"{name}:: {json.dumps(value)}" for name, value in settings.items())
    path = tmp_path / "config.jsonnet"
    path.write_text(f'(import "{FIXTURES / "stsn_fixture.jsonnet"}") + {{{fields}}}')
    return Params.from_file(str(path))


def _build(tmp_path: Path, settings: dict[str, Any]) -> tuple[Model, Optimizer, Batch]:
    """
    The config's model and optimizer, over the vocabulary of its training data read by its
    reader, and the first training batch of that data, indexed.
    """
    params = _config(tmp_path, settings)
    reader = DatasetReader.from_params(params.pop("dataset_reader"))
    instances = list(reader.read(params.pop("train_data_path")))
    vocab = Vocabulary.from_instances(instances)
    model = Model.from_params(vocab=vocab, params=params.pop("model"))
    optimizer = Optimizer.from_params(
        model_parameters=list(model.named_parameters()), params=params["trainer"].pop("optimizer")
    )
    batch = Batch(instances[: params["data_loader"]["batch_sampler"]["batch_size"]])
    batch.index_instances(vocab)
    return model, optimizer, batch


@pytest.mark.parametrize("lever", SETS)
def test_each_switch_sets_its_parameter(lever, tmp_path):
    key, value = SETS[lever]
    assert _config(tmp_path, LEVERS[lever]).as_flat_dict()[key] == value


@pytest.mark.parametrize("settings", LEVERS.values(), ids=LEVERS.keys())
def test_each_switch_builds_and_trains(settings, tmp_path):
    model, optimizer, batch = _build(tmp_path, settings)
    before = [parameter.detach().clone() for parameter in model.parameters()]
    loss = model(**batch.as_tensor_dict())["loss"]
    assert loss.item() > 0
    loss.backward()
    optimizer.step()
    assert any(
        not torch.equal(old, new) for old, new in zip(before, model.parameters(), strict=True)
    )


@pytest.mark.parametrize("task_learning_rate", [None, 1e-2])
def test_no_weight_decay_on_biases_and_norms_and_task_rate_outside_the_transformer(
    tmp_path, task_learning_rate
):
    model, optimizer, _ = _build(tmp_path, {"task_learning_rate": task_learning_rate})
    names = {id(parameter): name for name, parameter in model.named_parameters()}
    transformer = {id(parameter) for parameter in model.text_field_embedder.parameters()}
    groups = {
        names[id(parameter)]: (group["lr"], group["weight_decay"], id(parameter) in transformer)
        for group in optimizer.param_groups
        for parameter in group["params"]
    }
    assert groups.keys() == set(names.values())  # every parameter is in one group
    # STSN's own norms are among the parameters that must not be decayed
    assert any(name.endswith("attention_norm.weight") for name in groups)
    assert any(name.endswith("feed_forward_norm.weight") for name in groups)
    for name, (lr, weight_decay, in_transformer) in groups.items():
        assert weight_decay == (0.0 if NO_DECAY.search(name) else 0.01), name
        expected_lr = 3e-3 if in_transformer or task_learning_rate is None else task_learning_rate
        assert lr == expected_lr, name


def test_word_shapes_reach_the_loss(tmp_path):
    model, _, batch = _build(tmp_path, LEVERS["word-shapes"])
    model(**batch.as_tensor_dict())["loss"].backward()
    embedder = model.text_field_embedder._token_embedders[WORD_SHAPES]
    assert embedder.embedding.weight.grad[1:].abs().sum() > 0
