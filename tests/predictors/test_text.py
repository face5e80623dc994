"""Raw text into words with character offsets, without any downloaded model."""

import unicodedata

import pytest

from stsn_allennlp.predictors.text import mask_control_characters, split_sentences, tokenize

TEXTS = [
    "John Smith works for Acme Corp. in Boston.",
    "  Zoë Müller  wohnt\tin Köln,\u00a0near 東京 😀 — “quoted” a\u200bb.\n",
]


def assert_offsets_slice_back(text, sentence):
    assert len(sentence.tokens) == len(sentence.offsets)
    for token, (start, end) in zip(sentence.tokens, sentence.offsets):
        assert text[start:end] == token
        assert token.strip() == token != ""


@pytest.mark.parametrize("text", TEXTS, ids=["ascii", "non-ascii-and-odd-spaces"])
def test_tokens_slice_back_to_the_text(text):
    assert_offsets_slice_back(text, tokenize(text))
    for sentence in split_sentences(text):
        assert_offsets_slice_back(text, sentence)


def test_a_sentence_is_not_split_and_a_document_is():
    text = "Mary Jones lives in Paris. She works for Globex.\n\nPeter Brown lives in Berlin."
    assert tokenize(text).tokens[-3:] == ["in", "Berlin", "."]
    sentences = split_sentences(text)
    assert [sentence.tokens[0] for sentence in sentences] == ["Mary", "She", "Peter"]
    assert sentences[1].offsets[0] == (text.index("She"), text.index("She") + 3)


@pytest.mark.parametrize("text", ["", " ", "\n\t \u00a0 "])
def test_whitespace_gives_no_tokens_and_no_sentences(text):
    assert tokenize(text).tokens == []
    assert split_sentences(text) == []


def test_a_text_longer_than_spacy_default_limit_is_split():
    text = "Mary lives in Paris . " * 60_000  # 1.32 million characters
    sentences = split_sentences(text)
    assert len(sentences) == 60_000
    assert sentences[-1].offsets[-1][1] == len(text.rstrip())


CONTROLLED = (
    "\x1b[1;31mMary Jones\x07 lives in\x00Paris\x7f with her family.\x1b[31m"
    "\x1b]0;a title\x07Peter\x1b(B\x1b[m left.\x1b[0m"
)


def has_control_character(token):
    return any(unicodedata.category(character) == "Cc" for character in token)


def test_control_characters_and_escape_sequences_never_become_part_of_a_token():
    sentence = tokenize(CONTROLLED)
    assert sentence.tokens == [
        "Mary",
        "Jones",
        "lives",
        "in",
        "Paris",
        "with",
        "her",
        "family",
        ".",
        "Peter",
        "left",
        ".",
    ]
    assert_offsets_slice_back(CONTROLLED, sentence)
    sentences = split_sentences(CONTROLLED)
    assert [s.tokens[0] for s in sentences] == ["Mary", "Peter"]
    for sentence in sentences:
        assert_offsets_slice_back(CONTROLLED, sentence)
        assert not any(has_control_character(token) for token in sentence.tokens)


@pytest.mark.parametrize(
    "code", [code for code in range(0x100) if has_control_character(chr(code))], ids=hex
)
def test_no_control_character_sticks_to_a_word(code):
    # (Followed by a letter, ESC and U+009B would start an escape sequence, masked whole.)
    text = f"{chr(code)} Jones{chr(code)} lives{chr(code)}"
    sentence = tokenize(text)
    assert sentence.tokens == ["Jones", "lives"]
    assert_offsets_slice_back(text, sentence)


def test_masking_keeps_the_length_and_whitespace():
    text = "a\x1b[0m\tb\nc\x00"
    assert mask_control_characters(text) == "a    \tb\nc "
    assert mask_control_characters("\x1b[31 family") == "  31 family"  # a broken sequence
