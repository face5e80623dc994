"""The shape of a word's letters: what an uncased encoder cannot see.

An uncased transformer (e.g. all-MiniLM-L6-v2) lower-cases its input, yet capitalisation marks
most names: in CoNLL04's training data 84% of the capitalised words that do not start a sentence
belong to an entity. `word_shape` keeps that one cue as a small class id.
"""

WORD_SHAPES = ("lower", "capitalized", "upper", "initial", "digits", "other")
"""The shape classes, in the order of their ids: `"lower"` (letters, the first not upper case, e.g.
`"the"`, `"iPhone"`), `"capitalized"` (first letter upper case, some lower: `"Paris"`,
`"McDonald"`), `"upper"` (two or more letters, all upper case: `"NASA"`, `"U.S."`), `"initial"` (one
upper-case letter alone: `"A"`, `"J."`), `"digits"` (no letter, a digit: `"1994"`, `"3.5"`) and
`"other"` (neither: punctuation, symbols)."""


def word_shape(word: str) -> int:
    """The index in `WORD_SHAPES` of `word`'s shape."""
    letters = [character for character in word if character.isalpha()]
    if not letters:
        return WORD_SHAPES.index(
            "digits" if any(character.isdigit() for character in word) else "other"
        )
    if not letters[0].isupper():
        return WORD_SHAPES.index("lower")
    if len(letters) == 1:
        return WORD_SHAPES.index("initial")
    if all(letter.isupper() for letter in letters):
        return WORD_SHAPES.index("upper")
    return WORD_SHAPES.index("capitalized")
