"""Decoding entities under a data set's overlap structure: which predicted spans may coexist.

A span classifier scores every candidate span on its own, so it readily predicts a gold entity
together with a longer or shorter twin, and every relation then comes once per twin. A data set's
gold entities follow a known structure (CoNLL04: none overlap; ACE05: nested, never crossing; full
ADE: at most two on any token, what extended BIO tags hold). Decoding keeps, per sentence, the
highest-scoring entities that respect that structure and drops the others, by the rules of
`stsn_allennlp.core.spans`.
"""

import torch

from stsn_allennlp.core.spans import Span, keep_best
from stsn_allennlp.models.decoding import CandidateSpans


def keep_entities(spans: CandidateSpans, scores: torch.Tensor, mode: str) -> torch.Tensor:
    """
    Which predicted entities to keep: per sentence, `keep_best` over their spans and scores.

    # Parameters

    spans : `CandidateSpans`
        The predicted entities' sentences and inclusive token spans, `num_entities` of them.
    scores : `torch.Tensor`
        Shape `(num_entities,)`: the entity type's probability.
    mode : `str`
        One of `stsn_allennlp.core.spans.OVERLAP_MODES`.

    # Returns

    `torch.BoolTensor`
        Shape `(num_entities,)`.
    """
    by_sentence: dict[int, list[int]] = {}
    for index, sentence in enumerate(spans.batch.tolist()):
        by_sentence.setdefault(sentence, []).append(index)
    starts, lasts, values = spans.starts.tolist(), spans.ends.tolist(), scores.tolist()
    keep = [True] * len(starts)
    for indices in by_sentence.values():
        sentence_spans = [Span.from_inclusive(starts[index], lasts[index]) for index in indices]
        kept = keep_best(sentence_spans, [values[index] for index in indices], mode)
        for index, flag in zip(indices, kept):
            keep[index] = flag
    return torch.tensor(keep, dtype=torch.bool, device=spans.batch.device)
