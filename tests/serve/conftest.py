"""A model archive that finds entities and relations, and a server over it in a thread of the test
process (`ThreadServer`); `stsn_allennlp.serve.process.ServerProcess` starts one by the README's
command."""

import tarfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
import uvicorn
from allennlp.models.archival import archive_model
from allennlp.predictors import Predictor

from stsn_allennlp.data.fields import ENTITY_NAMESPACE, NONE_ENTITY
from stsn_allennlp.predictors import StsnPredictor, load_stsn_archive
from stsn_allennlp.serve import ServeSettings, create_app
from stsn_allennlp.serve.process import free_port

START_TIMEOUT = 180.0
"""Seconds a server may take to load the model (slow on a busy 2-core machine)."""


@pytest.fixture(scope="session")
def eager_archive(archive, tmp_path_factory) -> Path:
    """
    The fixture archive with its classifiers' biases shifted so that every candidate span leans
    to an entity type and most pairs to a relation: the model's own caps (2 entities and 2
    relations per word) then decide what is kept, and scores vary with the text. A user's
    `allennlp predict` and a server started on the file both read it.
    """
    folder = tmp_path_factory.mktemp("eager_archive")
    with tarfile.open(archive) as packed:
        packed.extractall(folder, filter="data")
    loaded = load_stsn_archive(archive)
    none_entity = loaded.model.vocab.get_token_index(NONE_ENTITY, ENTITY_NAMESPACE)
    weights = loaded.model.state_dict()
    weights["_span_classifier.bias"][none_entity] -= 5.0
    weights["_relation_classifier.bias"] += 5.0
    torch.save(weights, folder / "weights.th")
    archive_model(str(folder), weights="weights.th")
    return folder / "model.tar.gz"


@pytest.fixture(scope="session")
def eager_predictor(eager_archive) -> StsnPredictor:
    return Predictor.from_path(eager_archive, "stsn")


class ThreadServer:
    """
    `create_app` served by uvicorn on a thread of this process, at `self.url`.

    # Parameters

    predictor : `StsnPredictor`
        The predictor to serve.
    settings : `ServeSettings`
        The server's settings.
    """

    def __init__(self, predictor: StsnPredictor, settings: ServeSettings) -> None:
        app = create_app(predictor, settings, load_stsn_archive(settings.archive).config)
        self._server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning")
        )
        self.url = f"http://127.0.0.1:{self._server.config.port}"
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> "ThreadServer":
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            assert self._thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)


@pytest.fixture(scope="module")
def server(eager_predictor, eager_archive) -> Iterator[ThreadServer]:
    """A server with small limits: 4,000 bytes, 5 sentences, 40 words per request."""
    settings = ServeSettings(str(eager_archive), max_body_bytes=4000, max_sentences=5, max_words=40)
    with ThreadServer(eager_predictor, settings) as running:
        yield running
