"""The spaCy component "stsn" against the predictor it wraps (tests of stsn_allennlp.spacy_pipe;
here to share the session's trained archive and forced predictors)."""

import json
from importlib.metadata import entry_points
from itertools import pairwise

import pytest
import spacy
from spacy.tokens import Doc, DocBin

from stsn_allennlp.spacy_pipe import StsnComponent, make_stsn, sentence_tokens
from tests import FIXTURE_DATA

RAW_TEXT = [json.loads(line) for line in (FIXTURE_DATA / "raw_text.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def eager_component(eager_predictor):
    return StsnComponent(eager_predictor)


def _doc(nlp, item):
    if "tokens" in item:
        return Doc(nlp.vocab, words=item["tokens"])
    return nlp.make_doc(item.get("sentence") or item["document"])


def _predictor_view(output, raw_text):
    """Entities `(start, end, type, text, score)` (character offsets for raw text, else token
    offsets) and relations `(head entity, tail entity, type, score)` of a prediction."""
    entities, relations = [], []
    for sentence in output.get("sentences", [output]):
        keys = [
            (e["char_start"], e["char_end"]) if raw_text else (e["start"], e["end"])
            for e in sentence["entities"]
        ]
        found = [
            (*key, e["type"], e["text"], e["score"])
            for key, e in zip(keys, sentence["entities"], strict=True)
        ]
        entities += found
        relations += [
            (found[r["head"]][:3], found[r["tail"]][:3], r["type"], r["score"])
            for r in sentence["relations"]
        ]
    return entities, relations


def _component_view(doc, raw_text):
    def key(span):
        return (span.start_char, span.end_char) if raw_text else (span.start, span.end)

    entities = [(*key(s), s.label_, s.text, s._.stsn_score) for s in doc.spans["stsn"]]
    relations = [
        ((*key(r.head), r.head.label_), (*key(r.tail), r.tail.label_), r.label, r.score)
        for r in doc._.relations
    ]
    return entities, relations


WHITESPACE = {"document": "Mary  Jones\n lives in\tParis.  She works for Globex. "}
"""Whitespace tokens, which both drop: offsets must still agree."""


@pytest.mark.parametrize(
    "item", [*RAW_TEXT, WHITESPACE], ids=[*(next(iter(item)) for item in RAW_TEXT), "whitespace"]
)
def test_component_and_predictor_agree_on_the_raw_text_fixture(
    eager_predictor, eager_component, nlp, item
):
    raw_text = "tokens" not in item
    expected = _predictor_view(eager_predictor.predict_json(item), raw_text)
    found = _component_view(eager_component(_doc(nlp, item)), raw_text)
    assert expected[0] and expected[1], "the forced model predicts entities and relations"
    for got, want in zip(found, expected, strict=True):
        assert [item[:-1] for item in got] == [item[:-1] for item in want]
        assert [item[-1] for item in got] == pytest.approx([item[-1] for item in want], abs=1e-5)


def test_pipe_batches_sentences_across_documents(eager_component, nlp, monkeypatch):
    docs = [_doc(nlp, item) for item in RAW_TEXT]  # 1, 2 and 1 sentences
    one_by_one = [_component_view(eager_component(_doc(nlp, item)), True) for item in RAW_TEXT]
    calls = []
    original = eager_component.predictor.predict_batch_json
    monkeypatch.setattr(
        eager_component.predictor,
        "predict_batch_json",
        lambda inputs: calls.append(len(inputs)) or original(inputs),
    )
    piped = list(eager_component.pipe(iter(docs), batch_size=2))
    assert calls == [3, 1]
    assert [d is doc for d, doc in zip(piped, docs, strict=True)] == [True] * 3
    for doc, expected in zip(piped, one_by_one, strict=True):
        got = _component_view(doc, True)
        assert [e[:4] for e in got[0]] == [e[:4] for e in expected[0]]
        assert [r[:3] for r in got[1]] == [r[:3] for r in expected[1]]


def test_existing_sentence_boundaries_are_used(eager_component, nlp):
    doc = nlp.make_doc("John Smith works for Acme Corp in Boston.")
    for token in doc:
        token.is_sent_start = token.i in (0, 3)
    eager_component(doc)
    spans = list(doc.spans["stsn"])
    assert spans and all(s.end <= 3 or s.start >= 3 for s in spans)
    assert any(s.start == 3 for s in spans)
    assert not any(
        r.head.start < 3 <= r.tail.start or r.tail.start < 3 <= r.head.start
        for r in doc._.relations
    )


def test_without_boundaries_one_sentencizer_pass_leaves_the_doc_unset(nlp):
    doc = nlp.make_doc("Mary Jones lives in Paris.  She works for Globex.")
    assert [[t.text for t in s] for s in sentence_tokens(doc)] == [
        ["Mary", "Jones", "lives", "in", "Paris", "."],
        ["She", "works", "for", "Globex", "."],
    ]
    assert not doc.has_annotation("SENT_START")


def test_ents_are_the_non_overlapping_entities(eager_component, nlp):
    doc = eager_component(nlp.make_doc("Mary Jones lives in Paris."))
    ents, spans = list(doc.ents), list(doc.spans["stsn"])
    assert len(spans) > len(ents) > 0
    assert all(a.end <= b.start for a, b in pairwise(ents))
    assert all(any(s.start < e.end and e.start < s.end for e in ents) for s in spans)
    assert all(e._.stsn_score == pytest.approx(max(s._.stsn_score for s in spans)) for e in ents)


def test_annotations_survive_serialisation(eager_component, nlp):
    doc = eager_component(nlp.make_doc("Mary Jones lives in Paris."))
    restored = next(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab))
    assert _component_view(restored, True) == _component_view(doc, True)
    assert Doc(nlp.vocab, words=["a"])._.relations is None


@pytest.fixture(scope="module")
def pipeline(archive):
    """`spacy.blank("en")` with the component made by its factory from the archive."""
    nlp = spacy.blank("en")
    nlp.add_pipe("stsn", config={"archive": str(archive), "batch_size": 4})
    return nlp


def test_factory_from_the_archive_agrees_with_the_predictor(pipeline, predictor):
    component = pipeline.get_pipe("stsn")
    assert isinstance(component, StsnComponent) and component.predictor.batch_size == 4
    text = RAW_TEXT[1]["document"]
    expected = _predictor_view(predictor.predict_json({"document": text}), True)
    got = _component_view(pipeline(text), True)
    assert [e[:4] for e in got[0]] == [e[:4] for e in expected[0]]
    assert [r[:3] for r in got[1]] == [r[:3] for r in expected[1]]


def test_nlp_pipe_hands_its_batch_size_to_the_component(pipeline, monkeypatch):
    predictor = pipeline.get_pipe("stsn").predictor
    calls = []
    original = predictor.predict_batch_json
    monkeypatch.setattr(
        predictor,
        "predict_batch_json",
        lambda inputs: calls.append(len(inputs)) or original(inputs),
    )
    texts = [
        item.get("sentence") or item.get("document") or " ".join(item["tokens"])
        for item in RAW_TEXT
    ]  # 1, 2 and 1 sentences
    docs = list(pipeline.pipe(texts, batch_size=2))
    assert calls == [3, 1]
    assert all(doc._.relations is not None for doc in docs)


def test_factory_is_an_entry_point_and_needs_an_archive():
    (point,) = [p for p in entry_points(group="spacy_factories") if p.name == "stsn"]
    assert point.load() is make_stsn
    with pytest.raises(ValueError, match="needs a model"):
        spacy.blank("en").add_pipe("stsn")
