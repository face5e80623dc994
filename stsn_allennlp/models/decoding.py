"""Decoding STSN's flat span and pair scores into per-sentence entities and relations."""

import itertools
from typing import NamedTuple

import torch

from stsn_allennlp.core.spans import Span

ScoredEntity = tuple[int, int, str, float]
"""A predicted entity of one sentence: `(start, end_exclusive, type, score)`."""

ScoredRelation = tuple[int, int, str, float]
"""A predicted relation of one sentence: `(head, tail, type, score)`, indices into its entities."""


class CandidateSpans(NamedTuple):
    """
    Token spans flat over a batch, ordered by sentence: each tensor has shape `(num_spans,)`;
    `ends` are inclusive.
    """

    batch: torch.Tensor
    starts: torch.Tensor
    ends: torch.Tensor

    def select(self, index: torch.Tensor) -> "CandidateSpans":
        """The spans at `index`, shape `(num_selected,)` (indices or a boolean mask)."""
        return CandidateSpans(self.batch[index], self.starts[index], self.ends[index])


class PredictedEntities(NamedTuple):
    """
    The spans predicted as entities, flat over a batch and ordered by sentence: `spans` and, each of
    shape `(num_entities,)`, their `types` and `scores`.
    """

    spans: CandidateSpans
    types: torch.Tensor
    scores: torch.Tensor


class CandidatePairs(NamedTuple):
    """
    Ordered pairs of entities within a sentence, flat over a batch: each tensor has shape
    `(num_pairs,)`; `heads` and `tails` index the flat entity list.
    """

    batch: torch.Tensor
    heads: torch.Tensor
    tails: torch.Tensor


class SelectedRelations(NamedTuple):
    """Predicted relations, flat over a batch: each tensor has shape `(num_relations,)`."""

    pairs: torch.Tensor  # indices into the batch's candidate pairs
    types: torch.Tensor
    scores: torch.Tensor


def sentence_offsets(entity_batch: torch.Tensor, batch_size: int) -> list[int]:
    """The flat index of each sentence's first entity, plus the total, as a list of `batch_size + 1`."""
    counts = torch.bincount(entity_batch, minlength=batch_size).tolist()
    offsets = [0]
    for count in counts:
        offsets.append(offsets[-1] + count)
    return offsets


def candidate_pairs(entity_batch: torch.Tensor, batch_size: int) -> CandidatePairs:
    """Every ordered pair of distinct entities within the same sentence."""
    offsets = sentence_offsets(entity_batch, batch_size)
    batches, heads, tails = [], [], []
    for sentence, (first, last) in enumerate(itertools.pairwise(offsets)):
        indices = torch.arange(first, last, device=entity_batch.device)
        head, tail = torch.meshgrid(indices, indices, indexing="ij")
        distinct = head != tail
        heads.append(head[distinct])
        tails.append(tail[distinct])
        batches.append(torch.full_like(heads[-1], sentence))
    if not batches:
        empty = entity_batch.new_zeros(0)
        return CandidatePairs(empty, empty, empty)
    return CandidatePairs(torch.cat(batches), torch.cat(heads), torch.cat(tails))


def group_entities(
    entities: PredictedEntities, batch_size: int, labels: dict[int, str]
) -> list[list[ScoredEntity]]:
    """Per sentence, the entities as `(start, end_exclusive, type, score)`."""
    grouped: list[list[ScoredEntity]] = [[] for _ in range(batch_size)]
    spans = entities.spans
    for sentence, start, end, label, score in zip(
        spans.batch.tolist(),
        spans.starts.tolist(),
        spans.ends.tolist(),
        entities.types.tolist(),
        entities.scores.tolist(),
    ):
        grouped[sentence].append((*Span.from_inclusive(start, end), labels[label], score))
    return grouped


def group_relations(
    entities: PredictedEntities,
    pairs: CandidatePairs,
    selected: SelectedRelations,
    batch_size: int,
    labels: dict[int, str],
) -> list[list[ScoredRelation]]:
    """
    Per sentence, the selected relations in pair order, as `(head, tail, type, score)` where `head`
    and `tail` index that sentence's entity list.
    """
    offsets = sentence_offsets(entities.spans.batch, batch_size)
    grouped: list[list[ScoredRelation]] = [[] for _ in range(batch_size)]
    order = torch.argsort(selected.pairs * max(len(labels), 1) + selected.types)
    chosen, types, scores = selected.pairs[order], selected.types[order], selected.scores[order]
    for sentence, head, tail, label, score in zip(
        pairs.batch[chosen].tolist(),
        pairs.heads[chosen].tolist(),
        pairs.tails[chosen].tolist(),
        types.tolist(),
        scores.tolist(),
    ):
        first = offsets[sentence]
        grouped[sentence].append((head - first, tail - first, labels[label], score))
    return grouped


def per_sentence_caps(lengths: torch.Tensor, per_word: float) -> torch.Tensor:
    """The most items a sentence may hold: `ceil(per_word * length)`, at least 1."""
    return torch.ceil(lengths.float() * per_word).long().clamp(min=1)


def best_per_group(groups: torch.Tensor, scores: torch.Tensor, caps: torch.Tensor) -> torch.Tensor:
    """
    Which items to keep so that each group holds at most its cap: the highest-scoring ones.

    # Parameters

    groups : `torch.LongTensor`
        Shape `(num_items,)`: each item's group (sentence), in `[0, len(caps))`.
    scores : `torch.Tensor`
        Shape `(num_items,)`.
    caps : `torch.LongTensor`
        Shape `(num_groups,)`.

    # Returns

    `torch.BoolTensor`
        Shape `(num_items,)`.
    """
    if groups.numel() == 0:
        return torch.zeros_like(groups, dtype=torch.bool)
    by_score = torch.argsort(scores, descending=True, stable=True)
    order = by_score[torch.argsort(groups[by_score], stable=True)]
    sorted_groups = groups[order]
    counts = torch.bincount(sorted_groups, minlength=caps.numel())
    group_starts = torch.cumsum(counts, dim=0) - counts
    rank = torch.arange(order.numel(), device=groups.device) - group_starts[sorted_groups]
    keep = torch.zeros_like(groups, dtype=torch.bool)
    keep[order] = rank < caps[sorted_groups]
    return keep
