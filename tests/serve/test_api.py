"""The HTTP API as a client meets it: answers, typed schemas, and every refusal with its reason."""

import httpx
import pytest
from pydantic import TypeAdapter

from stsn_allennlp.serve import ServeSettings
from stsn_allennlp.serve.schemas import PredictResponse
from tests.serve.conftest import ThreadServer

SENTENCE = {"sentence": "John Smith works for Acme Corp in Boston."}
JSON_HEADERS = {"content-type": "application/json"}


def post(server, path: str, **kwargs) -> httpx.Response:
    return httpx.post(server.url + path, timeout=60, **kwargs)


def test_one_input_gives_one_record_with_marks_and_offsets(server, eager_predictor):
    response = post(server, "/predict", json=SENTENCE)
    assert response.status_code == 200
    record = response.json()
    assert record == eager_predictor.predict_json(SENTENCE)
    assert record["entities"] and record["relations"]
    text = SENTENCE["sentence"]
    assert all(text[e["char_start"] : e["char_end"]] == e["text"] for e in record["entities"])
    TypeAdapter(PredictResponse).validate_python(record)


def test_a_list_gives_a_list_in_order_and_a_document_its_sentences(server, eager_predictor):
    inputs = [
        {"document": "Mary Jones lives in Paris. She works for Globex."},
        {"tokens": ["Peter", "Brown", "lives", "in", "Berlin", "."]},
        {"sentence": ""},
    ]
    response = post(server, "/predict", json=inputs)
    assert response.status_code == 200
    records = response.json()
    assert records == eager_predictor.predict_batch_json(inputs)
    assert [len(r.get("sentences", [r])) for r in records] == [2, 1, 1]
    assert records[2] == {"tokens": [], "entities": [], "relations": []}
    TypeAdapter(PredictResponse).validate_python(records)


@pytest.mark.parametrize(
    ("payload", "loc", "message"),
    [
        ({"sentence": 3}, ["body", "input", "sentence"], "valid string"),
        ({"sentense": "typo"}, ["body", "input", "sentense"], "Extra inputs"),
        ({}, ["body", "input"], "exactly one of the fields sentence, document, tokens"),
        ([SENTENCE, {"tokens": ["a", 5]}], ["body", "inputs", 1, "tokens", 1], "valid string"),
        ("just text", ["body", "input"], "valid dictionary"),
    ],
)
def test_invalid_fields_are_422_naming_the_field(server, payload, loc, message):
    response = post(server, "/predict", json=payload)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == loc and message in error["msg"]


def test_invalid_json_is_422_at_its_position(server):
    response = post(
        server,
        "/predict",
        content=b'{"sentence": "a",}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", 17]


def test_a_body_not_declared_json_is_415(server):
    response = post(server, "/predict", content=b'{"sentence": "a"}')
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]


def test_non_utf8_is_400_naming_the_byte(server):
    body = '{"sentence": "Zoë"}'.encode("latin-1")
    response = post(server, "/predict", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "the request body is not valid UTF-8: byte 0xeb at position 16"
    )


def test_a_body_over_the_limit_is_413_declared_or_streamed(server):
    body = b'{"sentence": "' + b"a " * 3000 + b'"}'
    declared = post(server, "/predict", content=body, headers={"content-type": "application/json"})
    streamed = post(
        server,
        "/predict",
        content=iter([body[:2000], body[2000:]]),  # chunked: no Content-Length
        headers={"content-type": "application/json"},
    )
    for response in (declared, streamed):
        assert response.status_code == 413
        assert "limit of 4000 bytes (--max-body-bytes)" in response.json()["detail"]


def test_a_client_still_sending_a_large_body_reads_its_413(eager_predictor, eager_archive):
    settings = ServeSettings(str(eager_archive), max_body_bytes=100_000)
    body = b'{"sentence": "' + b"a " * 1_000_000 + b'"}'  # 20 times the limit: read and dropped
    with ThreadServer(eager_predictor, settings) as large:
        for _ in range(3):
            response = post(large, "/predict", content=body, headers=JSON_HEADERS)
            assert response.status_code == 413


def test_too_many_sentences_or_words_is_413_naming_the_limit(server):
    sentences = post(
        server,
        "/predict",
        json=[SENTENCE] * 3
        + [{"document": "Mary lives in Paris. She works for Globex. He is here."}],
    )
    assert sentences.status_code == 413
    assert sentences.json()["detail"] == (
        "the request holds 6 sentences; the limit is 5 (--max-sentences)"
    )
    words = post(server, "/predict", json={"tokens": ["word"] * 41})
    assert words.status_code == 413
    assert words.json()["detail"] == "the request holds 41 words; the limit is 40 (--max-words)"
    assert post(server, "/predict", json={"tokens": ["word"] * 40}).status_code == 200


def test_health_and_info(server, eager_predictor):
    health = httpx.get(server.url + "/health").json()
    assert health["status"] == "ok" and health["queued_requests"] == 0
    info = httpx.get(server.url + "/info").json()
    assert info["model"] == "model.tar.gz"
    assert info["entity_types"] == ["Loc", "Org", "Peop"]
    assert "Work_For" in info["relation_types"]
    assert info["encoder"] == {
        "transformer": "fixtures/tiny_bert",
        "num_layers": 2,
        "entity_relation_to_label_attention": True,
    }
    assert info["decoding"]["entity_overlap"] == "any"
    assert info["decoding"]["max_entities_per_word"] == 2.0
    assert info["decoding"]["restrict_argument_types"] is False  # the fixture's (Paper) setting
    assert info["limits"]["max_sentences"] == 5 and info["limits"]["max_words"] == 40


def test_openapi_types_the_request_and_the_response(server):
    schema = httpx.get(server.url + "/openapi.json").json()
    predict = schema["paths"]["/predict"]["post"]
    request = str(predict["requestBody"]["content"]["application/json"]["schema"])
    response = str(predict["responses"]["200"]["content"]["application/json"]["schema"])
    assert "#/components/schemas/PredictInput" in request
    assert "#/components/schemas/SentenceRecord" in response
    assert "#/components/schemas/DocumentRecord" in response
    fields = schema["components"]["schemas"]["EntityRecord"]["properties"]
    assert {"type", "start", "end", "text", "score", "char_start", "char_end"} <= set(fields)
    assert {"/health", "/info", "/render", "/"} <= set(schema["paths"])


def test_no_request_reaches_a_server_file(server):
    for path in ("/etc/passwd", "/..%2f..%2fetc%2fpasswd", "/static/../../etc/passwd", "/docs"):
        assert httpx.get(server.url + path).status_code == 404
    response = post(server, "/predict", json={"sentence": "x", "archive": "/etc/passwd"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "input", "archive"]


def test_render_draws_records_and_refuses_inconsistent_ones(server):
    record = post(server, "/predict", json=SENTENCE).json()
    page = post(server, "/render", json=record)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count('<g class="entity') == len(record["entities"])
    assert page.text.count('<g class="arc"') == len(record["relations"])
    broken = {**record, "relations": [{"type": "Work_For", "head": 0, "tail": 99, "score": 1.0}]}
    refused = post(server, "/render", json=broken)
    assert refused.status_code == 422 and "99" in refused.json()["detail"]
