"""Limits on what one request may ask: its body's size and encoding, its sentences and words.

`BodyLimit` is ASGI middleware in front of the whole application: a body sent without a JSON
`Content-Type` is answered 415, a body over `max_body_bytes` 413 without being kept (its rest is
read and dropped, up to `DRAIN_FACTOR` times the limit), a body that is not UTF-8 400 naming the
first bad byte.
`check_size` counts the sentences and words of validated inputs against the server's limits.
"""

import json
from collections.abc import Sequence

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stsn_allennlp.predictors.inputs import ParsedInput

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
DRAIN_FACTOR = 32
"""A body over the limit is read (and dropped) up to this many times the limit before the 413, so
that the client, still sending, reads the answer; a larger one meets a closed connection."""


class BodyLimit:
    """
    Refuses request bodies that are not declared JSON (415), too large (413) or not UTF-8 (400),
    then hands the body on.

    # Parameters

    app : `ASGIApp`
        The application behind.
    max_body_bytes : `int`
        The largest body accepted.
    """

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self._app = app
        self._max = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self._app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if content_type != b"application/json":
            await _answer(send, 415, "send the body as JSON, with 'Content-Type: application/json'")
            return
        too_large = (
            f"the request body is larger than the limit of {self._max} bytes (--max-body-bytes)"
        )
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self._max:
            await _drain(receive, DRAIN_FACTOR * self._max)
            await _answer(send, 413, too_large)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            more = message.get("more_body", False)
            if size > self._max:
                if more:
                    await _drain(receive, DRAIN_FACTOR * self._max - size)
                await _answer(send, 413, too_large)
                return
            chunks.append(chunk)
        body = b"".join(chunks)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as error:
            await _answer(
                send,
                400,
                f"the request body is not valid UTF-8: byte 0x{body[error.start]:02x} at "
                f"position {error.start}",
            )
            return
        await self._app(scope, _replay(body, receive), send)


async def _drain(receive: Receive, budget: int) -> None:
    """Reads and drops the rest of a refused body, at most `budget` bytes: a client still sending
    when the server answers and closes would see the connection reset instead of the 413."""
    while budget > 0:
        message = await receive()
        budget -= len(message.get("body", b""))
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            return


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the whole body once, then what the client sends (its disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def check_size(parsed: Sequence[ParsedInput], max_sentences: int, max_words: int) -> int:
    """
    The number of sentences the inputs hold (an empty text counts one, as the predictor answers
    it with one empty sentence).

    # Parameters

    parsed : `Sequence[ParsedInput]`
        A request's inputs, split into sentences.
    max_sentences : `int`
        The most sentences a request may hold.
    max_words : `int`
        The most words a request may hold, all sentences together.

    # Raises

    `HTTPException` 413, naming the limit, when the request holds more.
    """
    sentences = sum(len(item.sentences) for item in parsed)
    words = sum(len(sentence.tokens) for item in parsed for sentence in item.sentences)
    if sentences > max_sentences:
        raise HTTPException(
            413,
            f"the request holds {sentences} sentences; the limit is {max_sentences} "
            "(--max-sentences)",
        )
    if words > max_words:
        raise HTTPException(
            413, f"the request holds {words} words; the limit is {max_words} (--max-words)"
        )
    return sentences
