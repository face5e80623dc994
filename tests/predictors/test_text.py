"""Raw text into words with character offsets, without any downloaded model."""
import pytest

from stsn_allennlp.predictors.text import split_sentences, tokenize

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
