"""Every dataset config builds with the fixture data and the tiny BERT swapped in through the
external variables a user sets, and defaults to the paper's hyper-parameters (§4.1)."""
from pathlib import Path

import pytest
from allennlp.commands.train import TrainModel
from allennlp.common import Params
from allennlp.common.util import prepare_environment

from stsn_allennlp.data.fields import BIO_NAMESPACE
from stsn_allennlp.models import Stsn
from tests import SHARED_DATA, TINY_BERT
from tests.training_config.layouts import CONFIG_NAMES, CONFIGS, user_variables

EMBEDDER = "model.text_field_embedder.token_embedders.tokens"
# The paper's set-up (§4.1) as AllenNLP parameters; bert-base-cased is its base encoder.
PAPER = {
    "trainer.optimizer.type": "huggingface_adamw",
    "trainer.optimizer.lr": 5e-5,
    "trainer.optimizer.weight_decay": 0.01,
    "trainer.learning_rate_scheduler.type": "linear_with_warmup_ratio",
    "trainer.learning_rate_scheduler.warmup_ratio": 0.1,
    "trainer.num_epochs": 100,
    "data_loader.batch_sampler.batch_size": 4,
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
# What each config evaluates on: validation (model selection) and test (after training).
SPLITS = {
    "conll04": {"validation"},
    "ade": {"test"},
    "ade_full": {"test"},
    "ace05": {"validation", "test"},
}
PAPER_VARIABLES = {"STSN_DATA_DIR": "data", "STSN_MODEL_NAME": "bert-base-cased", "STSN_FOLD": "0"}


def load(name: str) -> Params:
    """As `allennlp train` reads a config: external variables from the environment."""
    return Params.from_file(CONFIGS / f"{name}.jsonnet")


def test_every_config_is_covered():
    assert set(CONFIG_NAMES) == set(SPLITS)


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_config_builds_its_model_and_data_loaders_on_fixture_data(name, tmp_path, setenv):
    setenv(user_variables(name, tmp_path, fold=1))
    params = load(name)
    assert params["dataset_reader"]["model_name"] == str(TINY_BERT)
    assert params["train_data_path"].endswith("_1_train.json" if "ade" in name else "train.json")

    prepare_environment(params)  # the seeds, as `allennlp train` does
    train_loop = TrainModel.from_params(
        params=params, serialization_dir=str(tmp_path / "run"), local_rank=0
    )

    model = train_loop.model
    assert isinstance(model, Stsn)
    trainer = train_loop.trainer
    splits = {"validation"} if trainer._validation_data_loader is not None else set()
    splits |= {"test"} if train_loop.evaluation_data_loader is not None else set()
    assert splits == SPLITS[name]
    assert train_loop.evaluate_on_test == ("test" in splits)
    # a training batch goes through the model
    batch = next(iter(trainer.data_loader))
    assert model(**batch)["loss"].item() > 0
    # the fixture sentences hold two-fold overlaps: extended BIO tags, except where they are removed
    tags = model.vocab.get_token_to_index_vocabulary(BIO_NAMESPACE)
    assert any("/" in tag for tag in tags) == (name != "ade")


@pytest.mark.parametrize("name", CONFIG_NAMES)
def test_defaults_are_the_papers_hyper_parameters(name, setenv):
    setenv(PAPER_VARIABLES)
    flat = load(name).as_flat_dict()
    assert {key: flat.get(key) for key in PAPER} == PAPER
    assert flat["trainer.validation_metric"] == "+re_plus_f1_micro"


def test_the_large_variant_is_albert_xxlarge(setenv):
    setenv({**PAPER_VARIABLES, "STSN_MODEL_NAME": "albert-xxlarge-v1"})
    params = load("conll04")
    assert params["model"]["encoder"]["input_dim"] == 4096
    assert params["model"]["text_field_embedder"]["token_embedders"]["tokens"]["model_name"] == (
        "albert-xxlarge-v1"
    )


def test_ace05_reads_dygie_drops_deep_nesting_and_matches_per_soc_both_ways(setenv):
    setenv(PAPER_VARIABLES)
    params = load("ace05")
    for reader in ("dataset_reader", "validation_dataset_reader"):
        assert params[reader]["type"] == "stsn_dygie"
        assert params[reader]["overlap_policy"] == "drop"
    assert params["model"]["symmetric_relation_types"] == ["PER-SOC"]


@pytest.mark.parametrize(
    "variables, message",
    [
        ({"STSN_MODEL_NAME": "bert-base-cased", "STSN_FOLD": "0"}, "STSN_DATA_DIR"),
        ({"STSN_DATA_DIR": "data", "STSN_FOLD": "0"}, "STSN_MODEL_NAME"),
        ({**PAPER_VARIABLES, "STSN_MODEL_NAME": str(TINY_BERT)}, "STSN_TRANSFORMER_DIM"),
        ({"STSN_DATA_DIR": "data", "STSN_MODEL_NAME": "bert-base-cased"}, "STSN_FOLD"),
        ({**PAPER_VARIABLES, "STSN_FOLD": "-1"}, "STSN_FOLD must be a fold index"),
    ],
    ids=["data-dir", "model-name", "transformer-dim", "fold", "negative-fold"],
)
def test_a_missing_variable_is_named(variables, message, setenv):
    setenv(variables)
    with pytest.raises(RuntimeError, match=message):
        load("ade")


@pytest.mark.parametrize(
    "name, folder, fold",
    [("conll04", "conll04", 0), ("ade_full", "ade", 0), ("ade_full", "ade", 9)],
)
def test_configs_name_the_files_of_the_shared_data(name, folder, fold, setenv):
    data_dir = SHARED_DATA / folder
    if not data_dir.exists():
        pytest.skip(f"{data_dir} is absent (the shared benchmark data lies beside the repository)")
    setenv({**PAPER_VARIABLES, "STSN_DATA_DIR": str(data_dir), "STSN_FOLD": str(fold)})
    params = load(name)
    keys = ("train_data_path", "validation_data_path", "test_data_path")
    paths = [params.get(key) for key in keys if key in params]
    assert len(paths) == 2 and all(Path(path).exists() for path in paths)
