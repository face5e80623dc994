"""A local encoder folder's configuration and tokenizer files, kept with the model.

A model trained on a local encoder folder (`model_name: "fixtures/tiny_bert"`) records that path in
its `config.json`; on its own, its archive would then load only where the path leads to the same
folder. So when our reader or embedder is built for training with a local folder, it copies the
folder's files except the weights (the weights of the fine-tuned encoder are in the model's state)
into `encoder/` of the serialization directory; the training config archives that folder
(`include_in_archive: ["encoder"]`, `training_config/stsn.libsonnet`). When a trained model is
loaded (its serialization directory or the extracted archive holds its weights), the reader and
the embedder use that copy instead of `model_name`, and the embedder builds the transformer from
its configuration alone (`load_weights=False`): the archive works from any directory, and after
the original folder is moved or deleted. A hub name (`bert-base-cased`) is left as it is.
"""

import logging
import os
import shutil

logger = logging.getLogger(__name__)

ENCODER_DIR = "encoder"
"""The copy's folder, in the serialization directory and the archive."""

TRAINED_WEIGHTS = ("weights.th", "best.th")
"""Weights of a trained model: an extracted archive's, a serialization directory's."""

_WEIGHT_SUFFIXES = (
    ".safetensors",
    ".bin",
    ".h5",
    ".msgpack",
    ".ckpt",
    ".pt",
    ".pth",
    ".onnx",
    ".ot",
    ".index.json",
    ".ckpt.index",
)


def is_weights_file(name: str) -> bool:
    """Whether a file of an encoder folder holds (or indexes) weights, which are not copied."""
    return name.endswith(_WEIGHT_SUFFIXES) or ".ckpt." in name


def copy_encoder_files(model_name: str, destination: str) -> None:
    """Copies the files of the encoder folder `model_name` except its weights into `destination`
    (created); files already there are kept."""
    os.makedirs(destination, exist_ok=True)
    for name in sorted(os.listdir(model_name)):
        source, target = os.path.join(model_name, name), os.path.join(destination, name)
        if os.path.isfile(source) and not is_weights_file(name) and not os.path.exists(target):
            partial = f"{target}.{os.getpid()}.partial"
            shutil.copyfile(source, partial)
            os.replace(partial, target)  # whole files only, whichever process copies first


def resolve_encoder(model_name: str, serialization_dir: str | None) -> tuple[str, bool]:
    """
    The encoder a reader or embedder with `model_name` uses, built with AllenNLP's extra
    `serialization_dir`.

    # Returns

    `Tuple[str, bool]`
        The archived copy and `True` when a trained model is loaded from `serialization_dir`
        and it holds the copy: the transformer's weights then come from the model's state.
        Otherwise `model_name` and `False`; if `model_name` is a local folder and a
        `serialization_dir` is given (training), its files except the weights are first copied
        into the serialization directory's `encoder/`.
    """
    if serialization_dir is None:
        return model_name, False
    copy = os.path.join(serialization_dir, ENCODER_DIR)
    trained = any(os.path.isfile(os.path.join(serialization_dir, w)) for w in TRAINED_WEIGHTS)
    if trained and os.path.isfile(os.path.join(copy, "config.json")):
        return copy, True
    if os.path.isdir(model_name) and not trained:
        copy_encoder_files(model_name, copy)
        logger.info("copied the configuration and tokenizer of %s to %s", model_name, copy)
    return model_name, False
