"""Typos a training config can hold that AllenNLP would let through without a word.

- A hidden field of the jsonnet template (`num_epochs::`) that the config misspells
  (`num_epoch:: 1`) is a new hidden field that nothing reads: the run would train 100 epochs.
  The known names are every field of the objects the templates in `training_config/` export
  (`stsn.libsonnet`'s `Stsn` and its mixins, `datasets.libsonnet`'s `Dataset`) and of the dataset
  configs there (`fold`, `data_dir`, ...), read with jsonnet's `std.objectFieldsAll`.
- AllenNLP checks the keys of every object it builds except the trainer's: its constructor takes
  `**kwargs`, so `trainer.num_epoch` (in a config or `-o`) is ignored. Every other misspelt key
  (`model.encoder.num_layer`, `data_loader.batch_sampler.batch_siz`, `num_epoch`, ...) already
  stops AllenNLP with "Extra parameters passed to ...".
"""

import difflib
import inspect
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import _jsonnet
from allennlp.common.params import _environment_variables
from allennlp.training import Trainer

from stsn_allennlp.cli.errors import CommandError

TEMPLATES = Path(__file__).resolve().parents[2] / "training_config"
"""The folder of the shipped templates and dataset configs."""

FIELDS_DOC = 'docs/training.md ("Your own settings", "Hyper-parameters")'


def nearest(name: str, known: Iterable[str]) -> str:
    """` (did you mean X?)` for the known name closest to `name`, or nothing."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def hidden_fields(config_file: str) -> set[str]:
    """The hidden fields (`name::`) of a jsonnet config's top-level object, evaluated as
    AllenNLP evaluates it (every environment variable an external variable)."""
    snippet = (
        f"local config = import {json.dumps(str(Path(config_file).resolve()))};\n"
        "std.setDiff(std.objectFieldsAll(config), std.objectFields(config))"
    )
    result = _jsonnet.evaluate_snippet("hidden fields", snippet, ext_vars=_environment_variables())
    return set(json.loads(result))


def template_fields(folder: Path = TEMPLATES) -> set[str]:
    """Every field of the objects that the `*.libsonnet` templates of `folder` export, and of its
    `*.jsonnet` configs; empty when the folder is absent."""
    libraries = [f"import {json.dumps(str(path))}" for path in sorted(folder.glob("*.libsonnet"))]
    configs = [f"import {json.dumps(str(path))}" for path in sorted(folder.glob("*.jsonnet"))]
    if not libraries and not configs:
        return set()
    snippet = (
        "local fields(o) = std.objectFieldsAll(o);\n"
        "local exported(lib) = std.flattenArrays(\n"
        "  [fields(lib[name]) for name in fields(lib) if std.isObject(lib[name])]);\n"
        f"std.flattenArrays([exported(lib) for lib in [{', '.join(libraries)}]]"
        f" + [fields(config) for config in [{', '.join(configs)}]])"
    )
    return set(json.loads(_jsonnet.evaluate_snippet("template fields", snippet)))


def check_hidden_fields(config_file: str, known: set[str]) -> None:
    """
    Stops on a hidden field of `config_file` that no template declares.

    # Parameters

    config_file : `str`
        The jsonnet (or JSON) config.
    known : `Set[str]`
        The template's field names (`template_fields`); nothing is checked when it is empty.

    # Raises

    `CommandError` naming the file, each unknown field and the nearest known name.
    """
    unknown = sorted(hidden_fields(config_file) - known) if known else []
    if unknown:
        names = ", ".join(f"{name}::{nearest(name, known)}" for name in unknown)
        raise CommandError(
            f"{config_file}: unknown hidden field {names}; nothing reads it, so the run would "
            f"ignore it. The template's fields are listed in {FIELDS_DOC}"
        )


def trainer_parameters(trainer: dict[str, Any]) -> set[str]:
    """The keys the trainer of a config's `trainer` object takes: the parameters of its
    registered constructor and of its `__init__`, and `type`."""
    cls, constructor = Trainer.resolve_class_name(
        trainer.get("type", Trainer.default_implementation)
    )
    names = {"type"}
    for function in (getattr(cls, constructor or "__init__"), cls.__init__):
        names.update(
            name
            for name, parameter in inspect.signature(function).parameters.items()
            if parameter.kind not in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL)
        )
    return names - {"self", "cls"}


def check_trainer_keys(config_file: str, config: dict[str, Any]) -> None:
    """
    Stops on a key of the config's `trainer` (after `-o` overrides) that the trainer does not take.

    # Parameters

    config_file : `str`
        The config, for the message.
    config : `Dict[str, Any]`
        The config as AllenNLP reads it, overrides applied.

    # Raises

    `CommandError` naming each unknown key and the nearest known one.
    """
    trainer = config.get("trainer", {})
    known = trainer_parameters(trainer)
    unknown = sorted(set(trainer) - known)
    if unknown:
        names = ", ".join(f"trainer.{name}{nearest(name, known)}" for name in unknown)
        raise CommandError(
            f"{config_file} (with -o): unknown trainer key {names}; AllenNLP's trainer takes any "
            "keyword and would ignore it"
        )
