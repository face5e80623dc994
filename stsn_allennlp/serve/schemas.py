"""The typed requests and responses of the HTTP API (pydantic models; FastAPI derives the OpenAPI
schema from them).

A prediction request is one input or a list of inputs, each exactly the predictor's input: one of
`sentence`, `document` or `tokens`. The response records are the predictor's (`StsnPredictor`):
SpERT-style sentences with scores, a document's sentences under `sentences`.
"""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from stsn_allennlp.predictors.inputs import INPUT_KEYS


class PredictInput(BaseModel):
    """One input of the predictor: exactly one of its three fields."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"sentence": "John Smith works for Acme Corp in Boston."}]},
    )

    sentence: str | None = Field(None, description="Raw text, one sentence.")
    document: str | None = Field(None, description="Raw text, split into sentences.")
    tokens: list[str] | None = Field(None, description="The words of one sentence.")

    @model_validator(mode="after")
    def _exactly_one(self) -> "PredictInput":
        given = [key for key in INPUT_KEYS if getattr(self, key) is not None]
        if len(given) != 1:
            raise ValueError(
                f"an input needs exactly one of the fields {', '.join(INPUT_KEYS)}; it has "
                f"{', '.join(given) or 'none'}"
            )
        return self

    def as_json(self) -> dict[str, Any]:
        """The input as the predictor reads it, e.g. `{"sentence": "..."}`."""
        return self.model_dump(exclude_none=True)


def _request_kind(value: Any) -> str:
    return "inputs" if isinstance(value, list) else "input"


PredictRequest = Annotated[
    Annotated[PredictInput, Tag("input")] | Annotated[list[PredictInput], Tag("inputs")],
    Discriminator(_request_kind),
]
"""The body of `POST /predict`: one input, or a list of them (an error's `loc` then starts with
`"input"` or `"inputs"`, e.g. `["body", "inputs", 2, "sentence"]`)."""


class EntityRecord(BaseModel):
    """A predicted entity: tokens `start` to `end` (exclusive); character offsets into the input
    for raw text only."""

    type: str
    start: int
    end: int
    text: str
    score: float
    char_start: int | None = None
    char_end: int | None = None


class RelationRecord(BaseModel):
    """A predicted relation from entity `head` to entity `tail` (indices into `entities`)."""

    type: str
    head: int
    tail: int
    score: float


class SentenceRecord(BaseModel):
    """One predicted sentence; `sentence_index` only in a document's sentences."""

    tokens: list[str]
    entities: list[EntityRecord]
    relations: list[RelationRecord]
    sentence_index: int | None = None


class DocumentRecord(BaseModel):
    """The prediction of a `document` input: its sentences in order."""

    sentences: list[SentenceRecord]


Record = SentenceRecord | DocumentRecord
"""The prediction of one input."""

PredictResponse = Record | list[Record]
"""What `POST /predict` answers: one record per input, a list for a list."""


class Health(BaseModel):
    """`GET /health`: the server is up; what its batcher has done so far."""

    status: str = "ok"
    queued_requests: int = Field(description="Requests waiting for a model call.")
    model_calls: int = Field(description="Model calls made since the start.")
    sentences: int = Field(description="Sentences predicted since the start.")
    pid: int = Field(description="The process that answered (one of the workers).")


class Limits(BaseModel):
    """The server's limits per request and its batching."""

    max_body_bytes: int
    max_sentences: int
    max_words: int
    timeout_seconds: float
    max_batch_sentences: int
    model_batch_sentences: int
    batch_wait_seconds: float


class Info(BaseModel):
    """`GET /info`: the model and the server's limits."""

    model: str = Field(description="The archive's file name.")
    version: str = Field(description="The version of stsn-allennlp.")
    entity_types: list[str]
    relation_types: list[str]
    encoder: dict[str, Any] = Field(description="The transformer and the attention stack.")
    decoding: dict[str, Any] = Field(
        description="How entities and relations are decided, and the model's per-sentence caps."
    )
    limits: Limits
