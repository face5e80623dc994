r"""Raw text into word tokens with character offsets, by a rule-based spaCy pipeline.

The pipeline is `spacy.blank("en")` (spaCy's rule-based English tokenizer) plus the rule-based
`sentencizer`: nothing is downloaded. Plain functions: nothing here knows AllenNLP.

Control characters never become part of a token: before tokenizing, every ANSI escape sequence
(e.g. the colour codes `\x1b[31m` and `\x1b[0m`, terminal titles `\x1b]0;...\x07`) and every other
control character (`\x00`, `\x07`, DEL, ...; tabs, newlines and the other whitespace stay as they
are) is replaced by spaces of the same length (`mask_control_characters`). So they separate words
like a space, and character offsets still index the original text.
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from re import Pattern
from typing import NamedTuple

import spacy
from spacy.language import Language
from spacy.tokens import Token

MAX_TEXT_LENGTH = 100_000_000
"""The longest text (in characters) the pipeline accepts. spaCy's default (1,000,000) guards the
memory of parsers and entity recognisers; a tokenizer and a sentencizer need no such guard."""


CONTROL_CHARACTERS = "".join(
    chr(code)
    for code in range(0x100)  # Unicode assigns category Cc to no character above U+009F
    if unicodedata.category(chr(code)) == "Cc" and not chr(code).isspace()
)
"""The control characters (Unicode category Cc) that are not whitespace: U+0000-U+0008,
U+000E-U+001B, U+007F-U+0084 and U+0086-U+009F."""

ANSI_ESCAPE = (
    r"\x1b\[[0-?]*[!-/]*[@-~]"  # CSI: colours, cursor moves, e.g. \x1b[1;31m
    r"|\x1b[P\]X^_][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, DCS, ...: up to BEL or ST, e.g. titles
    r"|\x1b[!-/]*[0-~]"  # two-character and nF sequences, e.g. \x1b(B, \x1b7
    r"|\x9b[0-?]*[!-/]*[@-~]"  # CSI as its one-character C1 form
)
"""ECMA-48 escape sequences (what terminals and coloured logs use), whole."""


@lru_cache(maxsize=1)
def _control_pattern() -> Pattern[str]:
    return re.compile(f"{ANSI_ESCAPE}|[{re.escape(CONTROL_CHARACTERS)}]+")


def mask_control_characters(text: str) -> str:
    """
    `text` with each ANSI escape sequence and each other control character that is not
    whitespace replaced by spaces, one per character: the result has the same length, so offsets
    into it are offsets into `text`.

    # Parameters

    text : `str`
        The raw text.
    """
    return _control_pattern().sub(lambda match: " " * len(match.group()), text)


class TextSentence(NamedTuple):
    """
    One sentence of a raw text: its words and, for each word, the `(start, end)` character offsets
    (end exclusive, Python string indices) into the whole text, so that
    `text[start:end] == tokens[i]`.
    """

    tokens: list[str]
    offsets: list[tuple[int, int]]


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The shared rule-based pipeline: spaCy's English tokenizer and its `sentencizer`."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = MAX_TEXT_LENGTH
    return nlp


def tokenize(text: str) -> TextSentence:
    """
    Tokenizes `text` as one sentence (no sentence splitting). Whitespace and control characters
    (`mask_control_characters`) are dropped, so a text of only those gives a sentence without
    tokens; offsets index `text` itself.

    # Parameters

    text : `str`
        The raw text.
    """
    return _sentence(pipeline().make_doc(mask_control_characters(text)))


def split_sentences(text: str) -> list[TextSentence]:
    """
    Splits `text` into sentences with the rule-based sentencizer and tokenizes them. Sentences of
    whitespace (and control characters) only are dropped: an empty text, or one of whitespace
    only, gives no sentence. Offsets index `text` itself.

    # Parameters

    text : `str`
        The raw text.
    """
    sentences = (_sentence(span) for span in pipeline()(mask_control_characters(text)).sents)
    return [sentence for sentence in sentences if sentence.tokens]


def _sentence(tokens: Iterable[Token]) -> TextSentence:
    words = [token for token in tokens if not token.is_space]
    offsets = [(token.idx, token.idx + len(token.text)) for token in words]
    return TextSentence([token.text for token in words], offsets)
