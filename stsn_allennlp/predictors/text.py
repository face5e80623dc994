"""Raw text into word tokens with character offsets, by a rule-based spaCy pipeline.

The pipeline is `spacy.blank("en")` (spaCy's rule-based English tokenizer) plus the rule-based
`sentencizer`: nothing is downloaded. Plain functions: nothing here knows AllenNLP.
"""
from functools import lru_cache
from typing import Iterable, List, NamedTuple, Tuple

import spacy
from spacy.language import Language
from spacy.tokens import Token

MAX_TEXT_LENGTH = 100_000_000
"""The longest text (in characters) the pipeline accepts. spaCy's default (1,000,000) guards the
memory of parsers and entity recognisers; a tokenizer and a sentencizer need no such guard."""


class TextSentence(NamedTuple):
    """
    One sentence of a raw text: its words and, for each word, the `(start, end)` character offsets
    (end exclusive, Python string indices) into the whole text, so that
    `text[start:end] == tokens[i]`.
    """

    tokens: List[str]
    offsets: List[Tuple[int, int]]


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The shared rule-based pipeline: spaCy's English tokenizer and its `sentencizer`."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = MAX_TEXT_LENGTH
    return nlp


def tokenize(text: str) -> TextSentence:
    """
    Tokenizes `text` as one sentence (no sentence splitting). Whitespace is dropped, so a text of
    whitespace only gives a sentence without tokens.

    # Parameters

    text : `str`
        The raw text.
    """
    return _sentence(pipeline().make_doc(text))


def split_sentences(text: str) -> List[TextSentence]:
    """
    Splits `text` into sentences with the rule-based sentencizer and tokenizes them. Sentences of
    whitespace only are dropped: an empty text, or one of whitespace only, gives no sentence.

    # Parameters

    text : `str`
        The raw text.
    """
    sentences = (_sentence(span) for span in pipeline()(text).sents)
    return [sentence for sentence in sentences if sentence.tokens]


def _sentence(tokens: Iterable[Token]) -> TextSentence:
    words = [token for token in tokens if not token.is_space]
    offsets = [(token.idx, token.idx + len(token.text)) for token in words]
    return TextSentence([token.text for token in words], offsets)
