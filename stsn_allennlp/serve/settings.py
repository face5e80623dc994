"""What a server is started with: its archive, its request limits and its batching."""

import dataclasses
import json
import os
from dataclasses import dataclass

ENVIRONMENT_VARIABLE = "STSN_SERVE_SETTINGS"
"""Carries the settings from `python -m stsn_allennlp.serve` to uvicorn's worker processes."""


@dataclass(frozen=True)
class ServeSettings:
    """
    The settings of one server (every worker process has the same).

    # Parameters

    archive : `str`
        The model archive (`model.tar.gz`) or serialization directory, fixed at start: no request
        can name another file.
    max_body_bytes : `int`, optional (default = `1_000_000`)
        The largest request body; a larger one is answered 413.
    max_sentences : `int`, optional (default = `64`)
        The most sentences one request may hold (a document counts its sentences); more: 413.
    max_words : `int`, optional (default = `5_000`)
        The most words one request may hold, all its sentences together; more: 413.
    timeout : `float`, optional (default = `30.0`)
        Seconds a prediction request may wait for its answer (queueing included); then it is
        answered 503 and the server goes on with the others.
    max_batch : `int`, optional (default = `32`)
        The most sentences of concurrent requests run through the predictor in one call.
    model_batch : `int`, optional (default = `8`)
        The most sentences of one forward pass (the predictor's `batch_size`): a call's sentences
        are sorted by length and run in passes of this size, so that short sentences are not
        padded to long ones.
    batch_wait : `float`, optional (default = `0.005`)
        Seconds the batcher waits after a request arrives for others to join its model call.
    cuda_device : `int`, optional (default = `-1`)
        The GPU to run the model on; CPU if negative.
    """

    archive: str
    max_body_bytes: int = 1_000_000
    max_sentences: int = 64
    max_words: int = 5_000
    timeout: float = 30.0
    max_batch: int = 32
    model_batch: int = 8
    batch_wait: float = 0.005
    cuda_device: int = -1

    def __post_init__(self) -> None:
        for name in ("max_body_bytes", "max_sentences", "max_words", "max_batch", "model_batch"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.timeout <= 0 or self.batch_wait < 0:
            raise ValueError(
                f"timeout must be positive and batch_wait not negative, got {self.timeout} and "
                f"{self.batch_wait}"
            )

    def to_environment(self) -> None:
        """Stores the settings in `os.environ` for `from_environment` in a worker process."""
        os.environ[ENVIRONMENT_VARIABLE] = json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_environment(cls) -> "ServeSettings":
        """The settings `to_environment` stored."""
        try:
            stored = os.environ[ENVIRONMENT_VARIABLE]
        except KeyError:
            raise RuntimeError(
                f"{ENVIRONMENT_VARIABLE} is not set: start the server with "
                "`python -m stsn_allennlp.serve MODEL.tar.gz`"
            ) from None
        return cls(**json.loads(stored))
