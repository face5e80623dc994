"""Validation of the predictor's JSON inputs and of the lines of an input file."""

import pytest

from stsn_allennlp.core.records import sentence_record
from stsn_allennlp.predictors.inputs import (
    InputLine,
    PredictorInputError,
    decode_line,
    parse_input,
)


def test_each_input_form():
    sentence = parse_input({"sentence": "Mary lives in Paris. She works."})
    assert sentence.key == "sentence" and len(sentence.sentences) == 1
    assert sentence.text == "Mary lives in Paris. She works." and sentence.line is None

    document = parse_input({"document": "Mary lives in Paris. She works.", "id": 3})
    assert [s.tokens for s in document.sentences] == [
        ["Mary", "lives", "in", "Paris", "."],
        ["She", "works", "."],
    ]

    tokens = parse_input({"tokens": ["New York", "is", "big"]})
    assert tokens.text is None and tokens.sentences[0].tokens == ["New York", "is", "big"]


@pytest.mark.parametrize(
    "inputs",
    [{"sentence": ""}, {"sentence": " \n "}, {"document": ""}, {"document": "\t"}, {"tokens": []}],
)
def test_empty_input_is_one_sentence_without_tokens(inputs):
    parsed = parse_input(inputs)
    assert [sentence.tokens for sentence in parsed.sentences] == [[]]


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"text": "Mary"}, "one of the keys 'sentence', 'document', 'tokens'; it has 'text'"),
        ({}, "it has no key"),
        ({"sentence": "a", "tokens": ["a"]}, "it has 'sentence', 'tokens'"),
        ({"sentence": None}, "the value of 'sentence' must be of type str, got None"),
        ({"document": ["a"]}, "the value of 'document' must be of type str"),
        ({"tokens": "Mary lives"}, "the value of 'tokens' must be of type list"),
        ({"tokens": ["Mary", 3]}, "token 1 of 'tokens' must be of type str, got 3"),
        (["Mary"], "an input must be a JSON object, got list"),
    ],
    ids=[
        "no-key",
        "empty-object",
        "two-keys",
        "null",
        "document-list",
        "tokens-string",
        "token-int",
        "not-an-object",
    ],
)
def test_bad_inputs_name_the_key(inputs, message):
    with pytest.raises(PredictorInputError) as error:
        parse_input(inputs)
    assert message in str(error.value) and error.value.line is None


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"sentence": "a"', "line 7: the line is not valid JSON"),
        ("[1, 2]", "line 7: the line must hold a JSON object, got list"),
        ('{"tokens": [1]}', "line 7: token 0 of 'tokens' must be of type str"),
    ],
)
def test_bad_lines_name_the_line(line, message):
    decoded = decode_line(line, 7)
    assert isinstance(decoded, InputLine) and decoded.number == 7
    with pytest.raises(PredictorInputError) as error:
        parse_input(decoded)
    assert str(error.value).startswith(message) and error.value.line == 7


def test_a_good_line_keeps_its_number():
    parsed = parse_input(decode_line('{"sentence": "Zoë lives in Köln."}\n', 2))
    assert parsed.line == 2 and parsed.sentences[0].tokens[0] == "Zoë"


def test_char_offsets_of_text_with_control_characters_slice_the_original_text():
    text = "\x1b[1mMary\x00Jones\x07 lives in\x1b[31mNew York\x1b[0m."
    parsed = parse_input({"sentence": text})
    (sentence,) = parsed.sentences
    assert sentence.tokens == ["Mary", "Jones", "lives", "in", "New", "York", "."]
    spans = [(0, 2), (4, 6), (6, 7)]
    output = {
        "tokens": sentence.tokens,
        "entities": [
            {"type": "T", "start": start, "end": end, "text": "", "score": 1.0}
            for start, end in spans
        ],
        "relations": [],
    }
    record = sentence_record(output, parsed.text, sentence.offsets)
    assert [entity["text"] for entity in record["entities"]] == ["Mary\x00Jones", "New York", "."]
    for entity in record["entities"]:
        assert text[entity["char_start"] : entity["char_end"]] == entity["text"]
