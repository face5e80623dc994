"""Concurrent requests share model calls, within the cap; a request past its time limit is 503
while the server goes on serving. A gate holds the model until the test opens it, so what queues
behind it is known and nothing depends on timing."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from stsn_allennlp.serve import ServeSettings
from tests.serve.conftest import ThreadServer

INPUTS = [
    {"sentence": "John Smith works for Acme Corp in Boston."},
    {"tokens": ["Peter", "Brown", "lives", "in", "Berlin", "."]},
    {"sentence": "Mary Jones lives in Paris."},
    {"sentence": "Globex is based in Springfield."},
    {"sentence": "Anna works for Initech."},
]


class GatedPredictor:
    """The predictor, but each model call waits for `gate`; `calls` holds each call's inputs."""

    def __init__(self, predictor) -> None:
        self._predictor = predictor
        self.model = predictor.model
        self.gate = threading.Event()
        self.calls: list[list[dict]] = []

    def predict_batch_json(self, inputs):
        self.calls.append(inputs)
        assert self.gate.wait(timeout=120), "the test never opened the gate"
        if any("fail" in item.get("tokens", []) for item in inputs):
            raise RuntimeError("the model failed")
        return self._predictor.predict_batch_json(inputs)


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.01)


@pytest.fixture
def gated(eager_predictor) -> GatedPredictor:
    return GatedPredictor(eager_predictor)


def serve(gated, eager_archive, **settings) -> ThreadServer:
    return ThreadServer(gated, ServeSettings(str(eager_archive), **settings))


def queued(url: str) -> int:
    return httpx.get(url + "/health").json()["queued_requests"]


def test_requests_waiting_together_share_one_model_call_up_to_the_cap(
    gated, eager_archive, eager_predictor
):
    with serve(gated, eager_archive, max_batch=3) as server, ThreadPoolExecutor(5) as pool:

        def ask(payload):
            return httpx.post(server.url + "/predict", json=payload, timeout=120)

        first = pool.submit(ask, INPUTS[0])
        wait_until(lambda: len(gated.calls) == 1, "the first request reached the model")
        rest = [pool.submit(ask, payload) for payload in INPUTS[1:]]
        wait_until(lambda: queued(server.url) == 4, "four requests queued behind it")
        gated.gate.set()
        answers = [future.result() for future in [first, *rest]]
        health = httpx.get(server.url + "/health").json()
    assert [len(call) for call in gated.calls] == [1, 3, 1]
    later = [item for call in gated.calls[1:] for item in call]
    assert sorted(map(str, later)) == sorted(map(str, INPUTS[1:]))  # each once, in arrival order
    assert [answer.status_code for answer in answers] == [200] * 5
    # each request gets its own records of the call it shared (batching moves scores by float
    # rounding only, so a shared call is compared with the predictor's answer to the same batch)
    expected = {
        str(item): record
        for call in gated.calls
        for item, record in zip(call, eager_predictor.predict_batch_json(call), strict=True)
    }
    assert [answer.json() for answer in answers] == [expected[str(item)] for item in INPUTS]
    assert (health["model_calls"], health["sentences"]) == (3, 5)


def test_past_the_time_limit_is_503_and_the_server_goes_on(gated, eager_archive):
    with serve(gated, eager_archive, timeout=1.0) as server, ThreadPoolExecutor(2) as pool:

        def ask(payload):
            return httpx.post(server.url + "/predict", json=payload, timeout=120)

        running = pool.submit(ask, INPUTS[0])
        wait_until(lambda: len(gated.calls) == 1, "the first request reached the model")
        waiting = pool.submit(ask, INPUTS[1])
        late = [running.result(), waiting.result()]  # the gate is still closed
        assert httpx.get(server.url + "/health").status_code == 200  # while the model is busy
        gated.gate.set()
        after = ask(INPUTS[2])
    for response in late:
        assert response.status_code == 503
        assert "time limit of 1 s (--timeout)" in response.json()["detail"]
    assert after.status_code == 200 and after.json()["tokens"][0] == "Mary"
    # the request that timed out in the queue never reached the model
    assert gated.calls == [[INPUTS[0]], [INPUTS[2]]]


def test_a_failed_model_call_is_500_for_its_requests_only(gated, eager_archive):
    gated.gate.set()
    with serve(gated, eager_archive) as server:
        failed = httpx.post(server.url + "/predict", json={"tokens": ["fail"]}, timeout=120)
        after = httpx.post(server.url + "/predict", json=INPUTS[1], timeout=120)
    assert failed.status_code == 500
    assert after.status_code == 200 and after.json()["tokens"][0] == "Peter"
