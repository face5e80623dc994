"""
Candidate spans and SpERT's negative sampling (Eberts and Ulges; lavis-nlp/spert,
`spert/sampling.py`).

Training sees every gold entity plus up to N spans that are no gold entity, and every gold relation
plus up to M *strong* negative pairs: ordered pairs of gold entities with different spans that hold
no gold relation. Evaluation and prediction see every span up to the maximum width.

Plain Python: nothing here knows AllenNLP. Spans are end exclusive (`stsn_allennlp.core.spans`).
"""

import random
from collections.abc import Iterable, Sequence
from typing import TypeVar

from stsn_allennlp.core.spans import Span

T = TypeVar("T")


def enumerate_spans(num_tokens: int, max_span_width: int = 10) -> list[Span]:
    """
    Every span of at most `max_span_width` tokens, by width, then start (SpERT's order).

    # Parameters

    num_tokens : `int`
        The sentence length.
    max_span_width : `int`, optional (default = `10`)
        The widest span, in tokens.
    """
    return [
        Span(start, start + width)
        for width in range(1, min(max_span_width, num_tokens) + 1)
        for start in range(num_tokens - width + 1)
    ]


def negative_spans(
    num_tokens: int, gold_spans: Iterable[Span], max_span_width: int = 10
) -> list[Span]:
    """The candidate spans (see `enumerate_spans`) that are no gold entity's span."""
    gold = set(gold_spans)
    return [span for span in enumerate_spans(num_tokens, max_span_width) if span not in gold]


def negative_pairs(
    entity_spans: Sequence[Span], relations: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """
    SpERT's strong negative relations: ordered pairs `(i, j)` of entity indices whose spans differ
    and hold no gold relation in that direction (compared by span, as SpERT does).

    # Parameters

    entity_spans : `Sequence[Span]`
        The gold entities' spans.
    relations : `Iterable[Tuple[int, int]]`
        `(head, tail)` entity indices of the gold relations.
    """
    related: set[tuple[Span, Span]] = {
        (entity_spans[head], entity_spans[tail]) for head, tail in relations
    }
    return [
        (head, tail)
        for head, head_span in enumerate(entity_spans)
        for tail, tail_span in enumerate(entity_spans)
        if head_span != tail_span and (head_span, tail_span) not in related
    ]


def sample(candidates: Sequence[T], max_count: int, rng: random.Random) -> list[T]:
    """Up to `max_count` candidates drawn without replacement, in the random order of the draw."""
    return rng.sample(list(candidates), min(len(candidates), max_count))


def sentence_rng(seed: int, *key: object) -> random.Random:
    """
    A generator seeded from `seed` and a key naming the sentence, so that a sentence's negatives
    depend neither on reading order and sharding nor on Python's hash seed.
    """
    return random.Random("|".join(str(part) for part in (seed, *key)))
