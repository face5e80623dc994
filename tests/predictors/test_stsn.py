"""The `stsn` predictor from Python: input forms, output schema, character offsets, bad input."""

import json
from typing import Any

import pytest
from allennlp.data.tokenizers import PretrainedTransformerTokenizer
from allennlp.predictors import Predictor

from stsn_allennlp.data import StsnSpertReader
from stsn_allennlp.models import Stsn
from stsn_allennlp.predictors import PredictorInputError, StsnPredictor
from tests import FIXTURE_DATA, TINY_BERT

SENTENCE = "John Smith works for Acme Corp. in Boston."
DOCUMENT = "Mary Jones lives in Paris.  She works for Globex.\n\nZoë Müller wohnt in Köln, 東京 😀."
ENTITY_KEYS = {"type", "start", "end", "text", "score"}
RELATION_KEYS = {"type", "head", "tail", "score"}


def assert_sentence_record(record: dict, text: str | None = None) -> None:
    """A SpERT record with scores; with `text`, entities carry offsets that slice back to it."""
    assert {"tokens", "entities", "relations"} <= set(record)
    tokens, entities = record["tokens"], record["entities"]
    for entity in entities:
        offsets = {"char_start", "char_end"} if text is not None else set()
        assert set(entity) == ENTITY_KEYS | offsets
        assert 0 <= entity["start"] < entity["end"] <= len(tokens)
        assert 0.0 <= entity["score"] <= 1.0
        if text is None:
            assert entity["text"] == " ".join(tokens[entity["start"] : entity["end"]])
        else:
            assert text[entity["char_start"] : entity["char_end"]] == entity["text"]
            assert entity["text"].startswith(tokens[entity["start"]])
            assert entity["text"].endswith(tokens[entity["end"] - 1])
    for relation in record["relations"]:
        assert set(relation) == RELATION_KEYS
        assert relation["head"] != relation["tail"]
        assert 0 <= relation["head"] < len(entities) and 0 <= relation["tail"] < len(entities)
        assert 0.4 <= relation["score"] <= 1.0
    json.dumps(record)


def test_it_is_the_model_default_and_loads_from_an_archive(archive):
    assert Stsn.default_predictor == "stsn"
    assert isinstance(Predictor.from_path(archive), StsnPredictor)


@pytest.mark.parametrize("which", ["predictor", "eager_predictor"])
def test_each_input_form(request, which):
    predictor = request.getfixturevalue(which)
    sentence = predictor.predict(sentence=SENTENCE)
    assert sentence["tokens"][-4:] == ["Corp.", "in", "Boston", "."]
    assert_sentence_record(sentence, SENTENCE)

    document = predictor.predict(document=DOCUMENT)
    assert [record["sentence_index"] for record in document["sentences"]] == [0, 1, 2]
    assert document["sentences"][1]["tokens"] == ["She", "works", "for", "Globex", "."]
    for record in document["sentences"]:
        assert_sentence_record(record, DOCUMENT)

    tokens = predictor.predict(tokens=["Peter", "Brown", "lives", "in", "Berlin", "."])
    assert tokens["tokens"] == ["Peter", "Brown", "lives", "in", "Berlin", "."]
    assert_sentence_record(tokens)


def test_char_offsets_slice_back_to_every_entity(eager_predictor):
    # The eager model calls every span of up to 10 words an entity: each is checked.
    record = eager_predictor.predict(sentence=SENTENCE)
    assert len(record["tokens"]) == 9 and len(record["entities"]) == 9 * 10 // 2
    assert_sentence_record(record, SENTENCE)
    surfaces = {entity["text"] for entity in record["entities"]}
    assert {"John Smith", "Acme Corp.", "Corp. in Boston."} <= surfaces
    assert record["relations"]

    document = eager_predictor.predict(document=DOCUMENT)
    surfaces = {e["text"] for s in document["sentences"] for e in s["entities"]}
    assert {"Zoë Müller", "Köln, 東京 😀", "Globex."} <= surfaces


def without_scores(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: without_scores(item) for key, item in value.items() if key != "score"}
    if isinstance(value, list):
        return [without_scores(item) for item in value]
    return value


def test_the_json_methods_agree_with_predict(eager_predictor):
    inputs = [{"sentence": SENTENCE}, {"document": DOCUMENT}, {"tokens": ["Peter", "Brown"]}]
    single = [eager_predictor.predict_json(item) for item in inputs]
    assert single[0] == eager_predictor.predict(sentence=SENTENCE)
    assert without_scores(eager_predictor.predict_batch_json(inputs)) == without_scores(single)


@pytest.mark.parametrize(
    "inputs",
    [{"sentence": ""}, {"sentence": " \n\t"}, {"tokens": []}],
    ids=["empty-string", "whitespace", "empty-tokens"],
)
def test_empty_input_gives_an_empty_prediction_without_the_model(predictor, monkeypatch, inputs):
    monkeypatch.setattr(predictor.model, "forward_on_instances", pytest.fail)
    assert predictor.predict_json(inputs) == {"tokens": [], "entities": [], "relations": []}


def test_an_empty_document_gives_one_empty_sentence(predictor):
    expected = {"sentences": [{"sentence_index": 0, "tokens": [], "entities": [], "relations": []}]}
    assert predictor.predict(document="  \n ") == expected


def test_bad_input_raises_from_predict_and_is_an_error_record_from_json(predictor):
    with pytest.raises(PredictorInputError, match="'sentence' must be of type str"):
        predictor.predict(sentence=3)
    with pytest.raises(PredictorInputError, match="exactly one of the keys"):
        predictor.predict(sentence="a", tokens=["a"])
    assert predictor.predict_json({"text": "Mary"}) == {
        "error": "an input needs exactly one of the keys 'sentence', 'document', 'tokens'; it has "
        "'text'"
    }


def test_a_bad_input_does_not_lose_the_others(eager_predictor):
    outputs = eager_predictor.predict_batch_json(
        [{"sentence": SENTENCE}, {"tokens": "Mary"}, {"sentence": ""}, {"document": DOCUMENT}]
    )
    assert outputs[0] == eager_predictor.predict_json({"sentence": SENTENCE})
    assert outputs[1] == {"error": "the value of 'tokens' must be of type list, got 'Mary'"}
    assert outputs[2]["tokens"] == [] and len(outputs[3]["sentences"]) == 3


def test_long_inputs_work(quiet_predictor):
    # 600 words in one sentence: more word pieces than the transformer's 512, so it is folded.
    words = ("Mary lives in Paris and works for Globex " * 75).split()
    word_pieces, _ = PretrainedTransformerTokenizer(str(TINY_BERT)).intra_word_tokenize(words)
    assert len(word_pieces) > 512
    record = quiet_predictor.predict(tokens=words)
    assert record == {"tokens": words, "entities": [], "relations": []}
    # A document of 5,000 words.
    text = "Peter Brown lives in Berlin near the river . " * 556
    document = quiet_predictor.predict(document=text)
    assert len(document["sentences"]) == 556
    assert sum(len(record["tokens"]) for record in document["sentences"]) == 5004


def test_dump_line_writes_one_sentence_per_line(predictor):
    predictor = StsnPredictor(predictor.model, predictor.dataset_reader)  # lines count from 1
    document = predictor.predict_json(predictor.load_line(json.dumps({"document": DOCUMENT})))
    lines = predictor.dump_line(document).splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["line"], r["sentence_index"]) for r in records] == [(1, 0), (1, 1), (1, 2)]
    assert all("sentences" not in record for record in records)

    error = predictor.predict_json(predictor.load_line("not json\n"))
    assert json.loads(predictor.dump_line(error)) == {
        "line": 2,
        "error": "line 2: the line is not valid JSON: Expecting value (column 1)",
    }


def test_single_sentence_inputs_make_one_instance(predictor):
    instance = predictor.json_to_instance({"sentence": "Zoë lives in Köln."})
    assert instance["metadata"]["tokens"] == ["Zoë", "lives", "in", "Köln", "."]
    for inputs in ({"document": "Zoë lives in Köln."}, {"sentence": " "}):
        with pytest.raises(PredictorInputError, match="single instance"):
            predictor.json_to_instance(inputs)


def test_gold_instances_are_predicted_without_their_gold(predictor):
    gold = list(predictor.dataset_reader.read(FIXTURE_DATA / "spert_dev.json"))
    outputs = predictor.predict_batch_instance(gold)
    assert without_scores(outputs[1]) == without_scores(predictor.predict_instance(gold[1]))
    for instance, output in zip(gold, outputs):
        assert set(output) == {"orig_id", "tokens", "entities", "relations"}
        assert output["orig_id"] == instance["metadata"]["orig_id"]
        assert output["tokens"] == instance["metadata"]["tokens"]
        assert_sentence_record(output)


def test_every_span_is_a_candidate_whatever_the_reader_samples(eager_predictor):
    # A training reader's instances hold only the gold spans; the predictor classifies them all.
    reader = StsnSpertReader(model_name=str(TINY_BERT), sample_negatives=True, negative_spans=1)
    gold = list(reader.read(FIXTURE_DATA / "spert_dev.json"))
    for output in eager_predictor.predict_batch_instance(gold):
        num_tokens = len(output["tokens"])
        assert len(output["entities"]) == num_tokens * (num_tokens + 1) // 2  # all under 10 words
