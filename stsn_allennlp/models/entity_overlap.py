"""Decoding entities under a data set's overlap structure: which predicted spans may coexist.

A span classifier scores every candidate span on its own, so it readily predicts a gold entity
together with a longer or shorter twin, and every relation then comes once per twin. A data set's
gold entities follow a known structure (CoNLL04: none overlap; ACE05: nested, never crossing; full
ADE: at most two on any token, what extended BIO tags hold). Decoding keeps, per sentence, the
highest-scoring entities that respect that structure and drops the others.
"""

from collections.abc import Callable, Iterable, Sequence

import torch

from stsn_allennlp.models.decoding import CandidateSpans

Span = tuple[int, int]  # inclusive (start, end)


def _overlap(first: Span, second: Span) -> bool:
    return first[0] <= second[1] and second[0] <= first[1]


def _cross(first: Span, second: Span) -> bool:
    """Overlapping spans of which neither contains the other."""
    contains = (first[0] <= second[0] and second[1] <= first[1]) or (
        second[0] <= first[0] and first[1] <= second[1]
    )
    return _overlap(first, second) and not contains


def _fits_flat(span: Span, kept: list[Span]) -> bool:
    return not any(_overlap(span, other) for other in kept)


def _fits_nested(span: Span, kept: list[Span]) -> bool:
    return not any(_cross(span, other) for other in kept)


def _fits_two_fold(span: Span, kept: list[Span]) -> bool:
    """No token of `span` is covered by two kept spans already."""
    for token in range(span[0], span[1] + 1):
        if sum(other[0] <= token <= other[1] for other in kept) >= 2:
            return False
    return True


def _fits_any(span: Span, kept: list[Span]) -> bool:
    return True


OVERLAP_MODES: dict[str, Callable[[Span, list[Span]], bool]] = {
    "any": _fits_any,
    "nested": _fits_nested,
    "two_fold": _fits_two_fold,
    "none": _fits_flat,
}
"""
The overlap structures, from the loosest: `any` keeps every predicted entity (the paper's decoding);
`nested` drops entities that cross a better one (ACE05); `two_fold` keeps at most two entities on
any token (full ADE, extended BIO tags); `none` keeps entities that overlap no better one (CoNLL04,
ADE without overlaps).
"""


def _fits(mode: str, spans: Sequence[Span]) -> bool:
    fits = OVERLAP_MODES[mode]
    return all(fits(span, list(spans[:index])) for index, span in enumerate(spans))


def overlap_structure(sentences: Iterable[Sequence[Span]]) -> str:
    """
    The strictest of `none`, `nested` and `two_fold` that the gold spans of every sentence satisfy,
    else `any`: the mode under which a data set's own entities would all be kept. (Measured on the
    shipped data: CoNLL04 `none`; full ADE `nested`, 119 sentences nest two entities, none cross.)
    """
    sentences = list(sentences)
    for mode in ("none", "nested", "two_fold"):
        if all(_fits(mode, spans) for spans in sentences):
            return mode
    return "any"


def keep_entities(spans: CandidateSpans, scores: torch.Tensor, mode: str) -> torch.Tensor:
    """
    Which predicted entities to keep: per sentence, greedily by descending score, each entity whose
    span fits `mode` with the entities kept before it.

    # Parameters

    spans : `CandidateSpans`
        The predicted entities' sentences and inclusive token spans, `num_entities` of them.
    scores : `torch.Tensor`
        Shape `(num_entities,)`: the entity type's probability.
    mode : `str`
        A key of `OVERLAP_MODES`.

    # Returns

    `torch.BoolTensor`
        Shape `(num_entities,)`.
    """
    keep = torch.ones_like(spans.batch, dtype=torch.bool)
    if mode == "any" or spans.batch.numel() == 0:
        return keep
    fits = OVERLAP_MODES[mode]
    kept: dict[int, list[Span]] = {}
    order = torch.argsort(scores, descending=True, stable=True).tolist()
    sentences, span_starts, span_ends = (tensor.tolist() for tensor in spans)
    for index in order:
        span = (span_starts[index], span_ends[index])
        sentence_kept = kept.setdefault(sentences[index], [])
        if fits(span, sentence_kept):
            sentence_kept.append(span)
        else:
            keep[index] = False
    return keep
