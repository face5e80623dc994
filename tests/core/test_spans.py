"""`stsn_allennlp.core.spans`: one span type, how two spans overlap, and the overlap modes."""

import pytest

from stsn_allennlp.core.spans import (
    OVERLAP_MODES,
    Span,
    check_overlap_mode,
    crowded_token,
    fits,
    keep_best,
    overlap_structure,
    satisfies,
)


def test_inclusive_ends_convert_both_ways():
    span = Span.from_inclusive(3, 5)
    assert span == Span(3, 6) and span.last == 5
    assert Span.from_inclusive(4, 4) == Span(4, 5)


@pytest.mark.parametrize(
    "first, second, overlaps, contains, crosses",
    [
        (Span(0, 2), Span(2, 4), False, False, False),  # adjacent: no shared token
        (Span(0, 3), Span(2, 4), True, False, True),
        (Span(0, 4), Span(1, 3), True, True, False),  # nested
        (Span(1, 3), Span(1, 3), True, True, False),  # a span contains itself
        (Span(0, 4), Span(0, 2), True, True, False),  # same start
        (Span(5, 6), Span(0, 2), False, False, False),
    ],
)
def test_overlap_relations(first, second, overlaps, contains, crosses):
    assert first.overlaps(second) == second.overlaps(first) == overlaps
    assert first.contains(second) == contains
    assert first.crosses(second) == second.crosses(first) == crosses


def test_crowded_token_is_the_first_covered_twice():
    kept = [Span(0, 3), Span(2, 5)]
    assert crowded_token(Span(1, 4), kept) == 2
    assert crowded_token(Span(0, 2), kept) is None
    assert crowded_token(Span(0, 2), [Span(0, 1), Span(0, 1)]) == 0  # duplicates count twice


def test_modes_are_the_documented_four():
    assert set(OVERLAP_MODES) == {"any", "nested", "two_fold", "none"}
    with pytest.raises(ValueError, match="overlap mode must be one of"):
        check_overlap_mode("flat")
    with pytest.raises(ValueError, match="overlap mode must be one of"):
        fits("flat", Span(0, 1), [])


# one sentence: tokens 0-1 (0.9), 1-2 (0.8, crosses the first), 0-3 (0.7, contains both),
# 5 (0.6, alone), 0 (0.5, inside the first and the third); spans end exclusive
SPANS = [Span(0, 2), Span(1, 3), Span(0, 4), Span(5, 6), Span(0, 1)]
SCORES = [0.9, 0.8, 0.7, 0.6, 0.5]


@pytest.mark.parametrize(
    "mode, kept",
    [
        ("any", [True, True, True, True, True]),
        ("nested", [True, False, True, True, True]),
        ("two_fold", [True, True, False, True, True]),  # token 0's second span once 0-3 is out
        ("none", [True, False, False, True, False]),
    ],
)
def test_keep_best_keeps_the_best_spans_a_mode_allows(mode, kept):
    assert keep_best(SPANS, SCORES, mode) == kept
    assert satisfies(mode, [span for span, keep in zip(SPANS, kept) if keep])


def test_keep_best_ties_go_to_the_earlier_span():
    assert keep_best([Span(0, 2), Span(1, 3)], [0.5, 0.5], "none") == [True, False]
    assert keep_best([Span(0, 3), Span(0, 2)], [0.4, 0.9], "none") == [False, True]


@pytest.mark.parametrize(
    "sentences, structure",
    [
        ([[Span(0, 2), Span(3, 5)], []], "none"),
        ([[Span(0, 2), Span(3, 5)], [Span(0, 4), Span(1, 3)]], "nested"),
        ([[Span(0, 2), Span(1, 3)]], "two_fold"),
        ([[Span(0, 4), Span(0, 2), Span(1, 3)]], "any"),
    ],
)
def test_overlap_structure_is_the_strictest_mode_the_gold_spans_fit(sentences, structure):
    assert overlap_structure(sentences) == structure
    for spans in sentences:  # keeping the gold spans under their own structure keeps them all
        assert all(keep_best(spans, [0.5] * len(spans), structure))
