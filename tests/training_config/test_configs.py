"""Every dataset config evaluates with plain jsonnet and no external variable, defaults to the data
folders the data command writes, the paper's encoder and its hyper-parameters (§4.1), and builds
and trains on fixture data swapped in by a config of a user's own."""

import json
from pathlib import Path

import _jsonnet
import pytest
from allennlp.commands.train import TrainModel
from allennlp.common import Params
from allennlp.common.util import prepare_environment

from stsn_allennlp.data.fields import BIO_NAMESPACE
from stsn_allennlp.experiments.runs import with_fields
from stsn_allennlp.models import Stsn
from tests import REPO_ROOT, TINY_BERT
from tests.training_config.layouts import (
    CONFIG_NAMES,
    CONFIGS,
    DATA_FOLDERS,
    FOLD_CONFIGS,
    prepared_data,
    user_config,
)

EMBEDDER = "model.text_field_embedder.token_embedders.tokens"
# The paper's set-up (§4.1) as AllenNLP parameters, apart from the training recipe (below);
# bert-base-cased is its base encoder.
PAPER = {
    "trainer.optimizer.type": "huggingface_adamw",
    "trainer.optimizer.weight_decay": 0.01,
    "trainer.learning_rate_scheduler.type": "linear_with_warmup_ratio",
    "trainer.learning_rate_scheduler.warmup_ratio": 0.1,
    "trainer.num_epochs": 100,
    "model.encoder.num_layers": 4,
    "model.encoder.num_heads": 8,
    "model.encoder.use_entity_relation_to_label_attention": True,
    "model.use_label_embedding": True,
    "model.label_embedding_dim": 150,
    "model.width_embedding_dim": 150,
    "model.max_span_width": 10,
    "dataset_reader.max_span_width": 10,
    "validation_dataset_reader.max_span_width": 10,
    "model.relation_threshold": 0.4,
    "dataset_reader.sample_negatives": True,
    "dataset_reader.negative_spans": 100,
    "dataset_reader.negative_pairs": 100,
    # words are the max-pooled word pieces of bert-base-cased (§3.1)
    EMBEDDER + ".type": "pretrained_transformer_mismatched_max",
    EMBEDDER + ".model_name": "bert-base-cased",
    "dataset_reader.model_name": "bert-base-cased",
    "validation_dataset_reader.model_name": "bert-base-cased",
    "model.encoder.input_dim": 768,
    "trainer.cuda_device": None,
}
# The training recipe: the paper's (the template's `Paper` mixin) and the template's defaults, the
# best measured in bench/accuracy.py.
PAPER_RECIPE = {
    "trainer.optimizer.lr": 5e-5,
    "data_loader.batch_sampler.batch_size": 4,
    "trainer.grad_norm": None,
    "model.gold_tag_probability": 1.0,
    "model.entity_overlap": "any",
    "model.restrict_argument_types": False,
}
BEST_RECIPE = {
    "trainer.optimizer.lr": 1e-4,
    "data_loader.batch_sampler.batch_size": 8,
    "trainer.grad_norm": 1.0,
    "model.gold_tag_probability": 0.0,
    "model.restrict_argument_types": True,
}
# Each data set's overlap structure (measured: CoNLL04 none, full ADE nested; ACE05 nests).
ENTITY_OVERLAP = {
    "conll04": "none",
    "conll04_cv": "none",
    "ade": "none",
    "ade_full": "nested",
    "ace05": "nested",
}
# Where each config reads its data by default (relative to the repository root, where
# `allennlp train` runs); fold 0 for ADE.
DEFAULT_DATA = {
    "conll04": {
        "train_data_path": "data/conll04/conll04_train.json",
        "validation_data_path": "data/conll04/conll04_dev.json",
    },
    "conll04_cv": {
        "train_data_path": "data/conll04/conll04_cv_0_train.json",
        "test_data_path": "data/conll04/conll04_cv_0_test.json",
    },
    "ade": {
        "train_data_path": "data/ade/ade_no_overlap_split_0_train.json",
        "test_data_path": "data/ade/ade_no_overlap_split_0_test.json",
    },
    "ade_full": {
        "train_data_path": "data/ade/ade_split_0_train.json",
        "test_data_path": "data/ade/ade_split_0_test.json",
    },
    "ace05": {
        "train_data_path": "data/ace05/train.json",
        "validation_data_path": "data/ace05/dev.json",
        "test_data_path": "data/ace05/test.json",
    },
}
DATA_KEYS = ("train_data_path", "validation_data_path", "test_data_path")


def plain_jsonnet(path: Path) -> dict:
    """The config as the jsonnet command evaluates it: no external variable at all."""
    return json.loads(_jsonnet.evaluate_file(str(path)))


def with_settings(name: str, **fields) -> dict:
    """The config as a config of one's own that imports it and sets `fields` evaluates."""
    text = with_fields(str(CONFIGS / f"{name}.jsonnet"), fields)
    return json.loads(_jsonnet.evaluate_snippet("my.jsonnet", text))


def data_paths(config: dict) -> dict:
    return {key: config[key] for key in DATA_KEYS if config.get(key)}


def test_every_config_is_covered():
    assert set(CONFIG_NAMES) == set(DEFAULT_DATA) == set(DATA_FOLDERS)


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_config_evaluates_with_plain_jsonnet_and_reads_no_external_variable(name):
    for path in [CONFIGS / f"{name}.jsonnet", *CONFIGS.glob("*.libsonnet")]:
        assert "extVar" not in path.read_text(), path
    assert plain_jsonnet(CONFIGS / f"{name}.jsonnet")["model"]["type"] == "stsn"


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_defaults_are_the_data_folder_the_papers_encoder_and_hyper_parameters(name):
    config = plain_jsonnet(CONFIGS / f"{name}.jsonnet")
    assert data_paths(config) == DEFAULT_DATA[name]
    flat = Params(config).as_flat_dict()
    assert {key: flat.get(key) for key in PAPER} == PAPER
    assert {key: flat.get(key) for key in BEST_RECIPE} == BEST_RECIPE
    assert flat["model.entity_overlap"] == ENTITY_OVERLAP[name]
    assert flat["trainer.validation_metric"] == "+re_plus_f1_micro"
    # and `allennlp train` reads it the same way, whatever the environment holds
    assert Params.from_file(str(CONFIGS / f"{name}.jsonnet")).as_dict() == config


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_the_paper_mixin_restores_the_papers_recipe(name):
    paper = '(import "training_config/stsn.libsonnet").Paper'
    snippet = f'(import "training_config/{name}.jsonnet") + {paper}'
    config = json.loads(_jsonnet.evaluate_snippet(str(REPO_ROOT / "paper.jsonnet"), snippet))
    flat = Params(config).as_flat_dict()
    assert {key: flat.get(key) for key in PAPER} == PAPER
    assert {key: flat.get(key) for key in PAPER_RECIPE} == PAPER_RECIPE
    # one learning rate: the only parameter group is the one without weight decay
    groups = config["trainer"]["optimizer"]["parameter_groups"]
    assert [group[1] for group in groups] == [{"weight_decay": 0}]


def test_the_documented_user_config_sets_data_folder_encoder_and_hyper_parameters():
    # as docs/training.md writes it, in the repository root (imports resolve from there)
    text = """(import "training_config/conll04.jsonnet") + {
      data_dir:: "/path/to/conll04",
      model_name:: "albert-xxlarge-v1",
      num_epochs:: 20,
    }"""
    config = json.loads(_jsonnet.evaluate_snippet(str(REPO_ROOT / "my_conll04.jsonnet"), text))
    assert data_paths(config) == {
        "train_data_path": "/path/to/conll04/conll04_train.json",
        "validation_data_path": "/path/to/conll04/conll04_dev.json",
    }
    assert config["model"]["encoder"]["input_dim"] == 4096  # the large variant's hidden size
    tokens = config["model"]["text_field_embedder"]["token_embedders"]["tokens"]
    assert tokens["model_name"] == config["dataset_reader"]["model_name"] == "albert-xxlarge-v1"
    assert config["trainer"]["num_epochs"] == 20


@pytest.mark.parametrize("name", FOLD_CONFIGS)
def test_the_fold_is_a_field(name):
    text = f'(import "training_config/{name}.jsonnet") + {{fold:: 7}}'
    config = json.loads(_jsonnet.evaluate_snippet(str(REPO_ROOT / "my_ade.jsonnet"), text))
    assert config["train_data_path"].endswith("_7_train.json")
    assert config["test_data_path"].endswith("_7_test.json")


@pytest.mark.parametrize(
    "fields, message",
    [
        ('model_name:: "my/encoder"', "set transformer_dim:: to the hidden size of the encoder"),
        ("fold:: -1", "fold must be a fold index"),
        ('fold:: "1"', "fold must be a fold index"),
    ],
    ids=["unknown-encoder-size", "negative-fold", "fold-as-text"],
)
def test_a_setting_that_cannot_work_is_named(fields, message):
    text = f'(import "training_config/ade.jsonnet") + {{{fields}}}'
    with pytest.raises(RuntimeError, match=message):
        _jsonnet.evaluate_snippet(str(REPO_ROOT / "my_ade.jsonnet"), text)


def test_ace05_reads_dygie_drops_deep_nesting_and_matches_per_soc_both_ways():
    config = plain_jsonnet(CONFIGS / "ace05.jsonnet")
    for reader in ("dataset_reader", "validation_dataset_reader"):
        assert config[reader]["type"] == "stsn_dygie"
        assert config[reader]["overlap_policy"] == "drop"
    assert config["model"]["symmetric_relation_types"] == ["PER-SOC"]


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_the_data_command_puts_every_file_where_the_config_reads_it(name, tmp_path, monkeypatch):
    prepared_data(tmp_path)
    monkeypatch.chdir(tmp_path)  # the data command wrote ./data, as in the repository root
    for fields in [{"fold": 0}, {"fold": 1}] if name in FOLD_CONFIGS else [{}]:
        paths = data_paths(with_settings(name, **fields))
        assert all(Path(path).is_file() for path in paths.values()), paths


@pytest.mark.parametrize(
    "runs",
    [
        [("conll04", None), ("conll04_cv", 0), ("conll04_cv", 4)],
        [("ade", 0), ("ade", 9), ("ade_full", 9)],
    ],
    ids=["conll04", "ade"],
)
def test_the_data_command_prepares_the_shared_data_where_the_configs_read_it(
    runs, shared_data_prepared, monkeypatch
):
    monkeypatch.chdir(shared_data_prepared.root)  # it wrote ./data, as in the repository root
    for name, fold in runs:
        paths = data_paths(with_settings(name, **({} if fold is None else {"fold": fold})))
        assert len(paths) == 2 and all(Path(path).is_file() for path in paths.values()), paths


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_config_builds_its_model_and_data_loaders_on_fixture_data(name, tmp_path):
    fields = {"fold": 1} if name in FOLD_CONFIGS else {}
    params = Params.from_file(str(user_config(name, tmp_path, **fields)))
    assert params["dataset_reader"]["model_name"] == str(TINY_BERT)
    assert params["train_data_path"].endswith("_1_train.json" if fields else "train.json")

    has_validation = params.get("validation_data_path") is not None
    prepare_environment(params)  # the seeds, as `allennlp train` does
    assert params.pop("include_in_archive") == ["encoder"]  # `allennlp train` takes it, as here
    train_loop = TrainModel.from_params(
        params=params, serialization_dir=str(tmp_path / "run"), local_rank=0
    )

    model = train_loop.model
    assert isinstance(model, Stsn)
    trainer = train_loop.trainer
    splits = {"validation"} if has_validation else set()
    splits |= {"test"} if train_loop.evaluation_data_loader is not None else set()
    assert splits == {key.split("_")[0] for key in DEFAULT_DATA[name]} - {"train"}
    assert train_loop.evaluate_on_test == ("test" in splits)
    # a training batch goes through the model
    batch = next(iter(trainer.data_loader))
    assert model(**batch)["loss"].item() > 0
    # the fixture sentences hold two-fold overlaps: extended BIO tags, except where they are removed
    tags = model.vocab.get_token_to_index_vocabulary(BIO_NAMESPACE)
    assert any("/" in tag for tag in tags) == (name != "ade")


def test_a_moving_average_of_the_weights_is_a_field_and_off_by_default():
    assert "moving_average" not in with_settings("conll04")["trainer"]
    trainer = with_settings("conll04", ema_decay=0.997)["trainer"]
    assert trainer["moving_average"] == {"type": "exponential", "decay": 0.997}
