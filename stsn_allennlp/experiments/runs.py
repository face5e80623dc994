"""One training run of a protocol: AllenNLP training in this process, which reuses a finished run
and resumes an interrupted one."""

import json
import logging
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import torch
from allennlp.commands.train import train_model
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError
from allennlp.training.util import create_serialization_dir

# training in this process builds the package's components from the config: register them
import stsn_allennlp.components  # noqa: F401

logger = logging.getLogger(__name__)

METRICS_FILE = "metrics.json"


def seed_overrides(seed: int) -> dict[str, int]:
    """
    Dotted overrides that make a run of an STSN config use `seed`: AllenNLP's three seeds (Python,
    NumPy, PyTorch) and the seed of the training reader's negative sampling.

    # Parameters

    seed : `int`
        The seed.
    """
    seeds = ("random_seed", "numpy_seed", "pytorch_seed", "dataset_reader.seed")
    return {key: seed for key in seeds}


def with_fields(config: str, fields: Mapping[str, Any]) -> str:
    """
    The text of a config that imports `config` and sets hidden fields of it, as a config of a
    user's own does: e.g. `(import "/abs/training_config/ade.jsonnet") + {fold:: 3}`.

    # Parameters

    config : `str`
        The jsonnet file.
    fields : `Mapping[str, Any]`
        Hidden fields and their values (JSON values).
    """
    body = ", ".join(f"{name}:: {json.dumps(value)}" for name, value in fields.items())
    return f"(import {json.dumps(str(Path(config).resolve()))}) + {{{body}}}\n"


def load_params(
    config: str, overrides: Mapping[str, Any], fields: Mapping[str, Any] | None = None
) -> Params:
    """
    A config's parameters, as `allennlp train` would read them.

    # Parameters

    config : `str`
        The jsonnet file.
    overrides : `Mapping[str, Any]`
        Overrides, dotted keys or whole entries (AllenNLP's `-o`).
    fields : `Optional[Mapping[str, Any]]`, optional (default = `None`)
        Hidden fields of the config to set first (see `with_fields`), e.g. `{"fold": 3}`.
    """
    if not fields:
        return Params.from_file(config, params_overrides=dict(overrides))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(config).name
        path.write_text(with_fields(config, fields))
        return Params.from_file(str(path), params_overrides=dict(overrides))


def train_run(
    config: str,
    serialization_dir: Path,
    overrides: Mapping[str, Any],
    fields: Mapping[str, Any] | None = None,
    include_package: Sequence[str] = ("stsn_allennlp.components",),
) -> dict[str, Any]:
    """
    Trains one run, as `allennlp train` would, and returns its `metrics.json`.

    A run whose `serialization_dir` already holds `metrics.json` finished earlier: its metrics are
    returned without training, after checking that it was trained with the same configuration. A
    run whose folder holds anything else was interrupted: it is resumed from its last checkpoint
    (`allennlp train --recover`). So a protocol stopped half-way continues where it stopped.

    # Parameters

    config : `str`
        The jsonnet file.
    serialization_dir : `Path`
        The run's folder.
    overrides : `Mapping[str, Any]`
        Overrides of the config (see `load_params`).
    fields : `Optional[Mapping[str, Any]]`, optional (default = `None`)
        Hidden fields of the config to set (see `load_params`).
    include_package : `Sequence[str]`, optional (default = `("stsn_allennlp.components",)`)
        Packages that distributed workers import to register components.

    # Raises

    `ConfigurationError` when a finished or interrupted run used another configuration.
    """
    params = load_params(config, overrides, fields)
    metrics_file = serialization_dir / METRICS_FILE
    if metrics_file.exists():
        try:
            create_serialization_dir(params, str(serialization_dir), recover=True, force=False)
        except ConfigurationError as error:
            raise ConfigurationError(
                f"{serialization_dir} holds a run trained with another configuration (the log "
                f"names the differences): {error} Remove it, or choose another folder."
            ) from None
        logger.info("%s finished earlier: its metrics are reused", serialization_dir)
    else:
        recover = serialization_dir.is_dir() and any(serialization_dir.iterdir())
        train_model(
            params,
            str(serialization_dir),
            recover=recover,
            include_package=list(include_package),
            return_model=False,
        )
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    return json.loads(metrics_file.read_text())
