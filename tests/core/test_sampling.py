import random

from stsn_allennlp.core.sampling import (
    enumerate_spans,
    negative_pairs,
    negative_spans,
    sample,
    sentence_rng,
)


def test_enumerate_spans_by_width_then_start():
    assert enumerate_spans(3, 2) == [(0, 1), (1, 2), (2, 3), (0, 2), (1, 3)]
    assert len(enumerate_spans(20)) == sum(20 - width + 1 for width in range(1, 11))
    assert enumerate_spans(2, 10) == [(0, 1), (1, 2), (0, 2)]


def test_negative_spans_exclude_gold_spans():
    negatives = negative_spans(4, [(0, 2), (3, 4)], max_span_width=2)
    assert negatives == [(0, 1), (1, 2), (2, 3), (1, 3), (2, 4)]


def test_negative_pairs_are_unrelated_ordered_pairs_of_distinct_spans():
    spans = [(0, 1), (2, 3), (4, 5), (2, 3)]  # entity 3 shares entity 1's span
    pairs = negative_pairs(spans, [(0, 1)])
    assert (0, 1) not in pairs and (0, 3) not in pairs  # related, by span
    assert (1, 0) in pairs  # the reverse direction is a negative
    assert (1, 3) not in pairs and (2, 2) not in pairs  # same span
    assert len(pairs) == 16 - 4 - 2 - 2  # 4x4 ordered pairs - diagonal - same span - related


def test_sample_is_bounded_and_reproducible():
    candidates = list(range(50))
    first = sample(candidates, 10, random.Random(1))
    assert first == sample(candidates, 10, random.Random(1))
    assert len(set(first)) == 10 and set(first) <= set(candidates)
    assert sorted(sample(candidates, 100, random.Random(1))) == candidates


def test_sentence_rng_depends_only_on_its_key():
    draw = lambda *key: sentence_rng(13, *key).random()  # noqa: E731
    assert draw(0, "a.json", 3) == draw(0, "a.json", 3)
    assert draw(0, "a.json", 3) != draw(0, "a.json", 4)
    assert draw(0, "a.json", 3) != draw(1, "a.json", 3)
