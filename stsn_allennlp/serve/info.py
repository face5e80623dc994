"""What `GET /info` tells about a loaded model: labels, encoder, decoding and caps.

Decoding settings come from the archive's configuration (the `stsn` model's defaults where the
configuration leaves one out), labels from the model's vocabulary.
"""

import inspect
import os
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from allennlp.common import Params

from stsn_allennlp.data.fields import ENTITY_NAMESPACE, NONE_ENTITY, RELATION_NAMESPACE
from stsn_allennlp.models import Stsn
from stsn_allennlp.serve.schemas import Info, Limits
from stsn_allennlp.serve.settings import ServeSettings

DECODING = (
    "entity_overlap",
    "relation_threshold",
    "restrict_argument_types",
    "max_span_width",
    "max_entities_per_word",
    "max_relations_per_word",
)
"""The `stsn` model's parameters that decide what inference returns."""


def package_version() -> str:
    """The installed version of stsn-allennlp."""
    try:
        return version("stsn-allennlp")
    except PackageNotFoundError:
        return "unknown"


def model_info(model: Stsn, config: Params, settings: ServeSettings) -> Info:
    """
    The `/info` answer.

    # Parameters

    model : `Stsn`
        The loaded model.
    config : `Params`
        The archive's configuration.
    settings : `ServeSettings`
        The server's settings.
    """
    model_config = config.as_dict(quiet=True).get("model", {})
    defaults = inspect.signature(Stsn.__init__).parameters
    decoding = {name: model_config.get(name, defaults[name].default) for name in DECODING}
    vocab = model.vocab
    entity_types = vocab.get_token_to_index_vocabulary(ENTITY_NAMESPACE)
    transformer = _transformer_name(model_config)
    return Info(
        model=os.path.basename(os.path.normpath(settings.archive)),
        version=package_version(),
        entity_types=sorted(label for label in entity_types if label != NONE_ENTITY),
        relation_types=sorted(vocab.get_token_to_index_vocabulary(RELATION_NAMESPACE)),
        encoder={
            "transformer": transformer,
            "num_layers": model.encoder.num_layers,
            "entity_relation_to_label_attention": (
                model.encoder.uses_entity_relation_to_label_attention
            ),
        },
        decoding=decoding,
        limits=Limits(
            max_body_bytes=settings.max_body_bytes,
            max_sentences=settings.max_sentences,
            max_words=settings.max_words,
            timeout_seconds=settings.timeout,
            max_batch_sentences=settings.max_batch,
            model_batch_sentences=settings.model_batch,
            batch_wait_seconds=settings.batch_wait,
        ),
    )


def _transformer_name(model_config: dict[str, Any]) -> str | None:
    """The embedder's `model_name`; a local folder by its last component only (no server path
    is shown)."""
    embedders = model_config.get("text_field_embedder", {}).get("token_embedders", {})
    names = [embedder.get("model_name") for embedder in embedders.values()]
    name = next((name for name in names if name), None)
    return os.path.basename(os.path.normpath(name)) if name and os.path.isabs(name) else name
