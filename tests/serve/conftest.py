"""A model archive that finds entities and relations, and servers over it: in a thread of the
test process (`ThreadServer`) or started by the README's command (`ServerProcess`)."""

import os
import signal
import socket
import subprocess
import sys
import tarfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import torch
import uvicorn
from allennlp.models.archival import archive_model
from allennlp.predictors import Predictor

from stsn_allennlp.data.fields import ENTITY_NAMESPACE, NONE_ENTITY
from stsn_allennlp.predictors import StsnPredictor, load_stsn_archive
from stsn_allennlp.serve import ServeSettings, create_app
from tests import REPO_ROOT

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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


class ServerProcess:
    """
    `python -m stsn_allennlp.serve ARCHIVE --port PORT [options]` (the README's command) in a
    process group of its own; `start` waits until `GET /health` answers.

    # Parameters

    archive : `Path`
        The model archive.
    log : `Path`
        Where its output goes (appended at each start).
    options : `str`
        More command-line options.
    """

    def __init__(self, archive: Path, log: Path, *options: str) -> None:
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [
            sys.executable, "-m", "stsn_allennlp.serve", str(archive), "--port", str(self.port),
            *options,
        ]  # fmt: skip
        self.process: subprocess.Popen | None = None

    def start(self) -> "ServerProcess":
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert self.process.poll() is None, f"server exited: {self.log.read_text()}"
            assert time.monotonic() < deadline, "server did not answer /health"
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)

    def signal(self, number: int) -> int:
        """Sends `number` to the server's process group; returns its exit status."""
        assert self.process is not None
        os.killpg(self.process.pid, number)
        return self.process.wait(timeout=60)

    def post(self, path: str, payload: Any) -> httpx.Response:
        return httpx.post(self.url + path, json=payload, timeout=60)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.signal(signal.SIGKILL)
