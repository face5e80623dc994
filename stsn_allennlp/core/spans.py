"""
Token spans and the ways two of them can overlap: the one place where the package decides whether
entities overlap, nest or cross, and which entities a data set's overlap structure lets coexist.

A `Span` is end exclusive (SpERT's convention, and Python's); AllenNLP's `SpanField`, the model's
tensors and DyGIE files count the last token instead, and convert with `Span.from_inclusive` and
`Span.last`.

The overlap modes, from the loosest: `any` lets every span coexist (the paper's decoding);
`nested` forbids crossing spans (ACE05); `two_fold` lets no token be covered by more than two
spans (full ADE, what extended BIO tags hold); `none` forbids any shared token (CoNLL04, ADE
without overlaps).
"""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

OVERLAP_MODES = ("any", "nested", "two_fold", "none")


class Span(NamedTuple):
    """A token span: `start` inclusive, `end` exclusive."""

    start: int
    end: int

    @classmethod
    def from_inclusive(cls, start: int, last: int) -> "Span":
        """The span from `start` to `last`, both inclusive."""
        return cls(start, last + 1)

    @property
    def last(self) -> int:
        """The span's last token (its inclusive end)."""
        return self.end - 1

    def overlaps(self, other: "Span") -> bool:
        """Whether the two spans share a token."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Span") -> bool:
        """Whether every token of `other` is in this span (a span contains itself)."""
        return self.start <= other.start and other.end <= self.end

    def crosses(self, other: "Span") -> bool:
        """Whether the two spans overlap and neither contains the other."""
        return self.overlaps(other) and not self.contains(other) and not other.contains(self)


def check_overlap_mode(mode: str) -> None:
    """Raises `ValueError` unless `mode` is one of `OVERLAP_MODES`."""
    if mode not in OVERLAP_MODES:
        raise ValueError(f"the overlap mode must be one of {sorted(OVERLAP_MODES)}, got {mode!r}")


def crowded_token(span: Span, others: Iterable[Span]) -> int | None:
    """The first token of `span` that two of `others` cover already, or `None`."""
    others = list(others)
    for token in range(span.start, span.end):
        if sum(other.start <= token < other.end for other in others) >= 2:
            return token
    return None


def fits(mode: str, span: Span, kept: Sequence[Span]) -> bool:
    """
    Whether `span` may join the `kept` spans under an overlap mode.

    # Parameters

    mode : `str`
        One of `OVERLAP_MODES`.
    span : `Span`
        The span to add.
    kept : `Sequence[Span]`
        The spans already there.
    """
    check_overlap_mode(mode)
    if mode == "nested":
        return not any(span.crosses(other) for other in kept)
    if mode == "two_fold":
        return crowded_token(span, kept) is None
    if mode == "none":
        return not any(span.overlaps(other) for other in kept)
    return True


def satisfies(mode: str, spans: Sequence[Span]) -> bool:
    """Whether the spans, added in order, all fit `mode` (for the symmetric modes, any order)."""
    return all(fits(mode, span, spans[:index]) for index, span in enumerate(spans))


def overlap_structure(sentences: Iterable[Sequence[Span]]) -> str:
    """
    The strictest of `none`, `nested` and `two_fold` that the gold spans of every sentence satisfy,
    else `any`: the mode under which a data set's own entities would all be kept. (Measured on the
    shipped data: CoNLL04 `none`; full ADE `nested`, 119 sentences nest two entities, none cross.)
    """
    sentences = list(sentences)
    for mode in ("none", "nested", "two_fold"):
        if all(satisfies(mode, spans) for spans in sentences):
            return mode
    return "any"


def keep_best(spans: Sequence[Span], scores: Sequence[float], mode: str) -> list[bool]:
    """
    Which of one sentence's scored spans to keep: greedily by descending score (ties: the earlier
    first), each span that fits `mode` with the spans kept before it.

    # Parameters

    spans : `Sequence[Span]`
        The candidates.
    scores : `Sequence[float]`
        One score per span.
    mode : `str`
        One of `OVERLAP_MODES`.

    # Returns

    `List[bool]`
        One flag per span, in the order of `spans`.
    """
    check_overlap_mode(mode)
    keep = [True] * len(spans)
    if mode == "any":
        return keep
    kept: list[Span] = []
    for index in sorted(range(len(spans)), key=lambda index: -scores[index]):
        if fits(mode, spans[index], kept):
            kept.append(spans[index])
        else:
            keep[index] = False
    return keep
