import pytest

from stsn_allennlp.core.word_shapes import WORD_SHAPES, word_shape


@pytest.mark.parametrize(
    "word, shape",
    [
        ("the", "lower"),
        ("iPhone", "lower"),
        ("Paris", "capitalized"),
        ("McDonald", "capitalized"),
        ("NASA", "upper"),
        ("U.S.", "upper"),
        ("A", "initial"),
        ("J.", "initial"),
        ("1994", "digits"),
        ("3.5", "digits"),
        (",", "other"),
        ("", "other"),
    ],
)
def test_each_word_gets_the_shape_of_its_letters(word, shape):
    assert WORD_SHAPES[word_shape(word)] == shape
