"""Turning STSN's flat span and pair scores into per-sentence entities and relations."""
from typing import Dict, List, NamedTuple, Tuple

import torch

EntityTuple = Tuple[int, int, str, float]
RelationTuple = Tuple[int, int, str, float]


class PredictedEntities(NamedTuple):
    """
    The spans predicted as entities, flat over a batch and ordered by sentence: each tensor has shape
    `(num_entities,)`; `ends` are inclusive.
    """

    batch: torch.LongTensor
    starts: torch.LongTensor
    ends: torch.LongTensor
    types: torch.LongTensor
    scores: torch.Tensor

    def spans(self) -> torch.LongTensor:
        """Shape `(num_entities, 2)`: inclusive (start, end) of each entity."""
        return torch.stack([self.starts, self.ends], dim=-1)


def sentence_offsets(entity_batch: torch.LongTensor, batch_size: int) -> List[int]:
    """The flat index of each sentence's first entity, plus the total, as a list of `batch_size + 1`."""
    counts = torch.bincount(entity_batch, minlength=batch_size).tolist()
    offsets = [0]
    for count in counts:
        offsets.append(offsets[-1] + count)
    return offsets


def candidate_pairs(
    entity_batch: torch.LongTensor, batch_size: int
) -> Tuple[torch.LongTensor, torch.LongTensor, torch.LongTensor]:
    """
    Every ordered pair of distinct entities within the same sentence.

    # Returns

    `(pair_batch, heads, tails)`, each of shape `(num_pairs,)`; `heads` and `tails` index the flat
    entity list.
    """
    offsets = sentence_offsets(entity_batch, batch_size)
    batches, heads, tails = [], [], []
    for sentence, (first, last) in enumerate(zip(offsets[:-1], offsets[1:])):
        indices = torch.arange(first, last, device=entity_batch.device)
        head, tail = torch.meshgrid(indices, indices, indexing="ij")
        distinct = head != tail
        heads.append(head[distinct])
        tails.append(tail[distinct])
        batches.append(torch.full_like(heads[-1], sentence))
    if not batches:
        empty = entity_batch.new_zeros(0)
        return empty, empty, empty
    return torch.cat(batches), torch.cat(heads), torch.cat(tails)


def group_entities(
    entities: PredictedEntities, batch_size: int, labels: Dict[int, str]
) -> List[List[EntityTuple]]:
    """Per sentence, the entities as `(start, end_exclusive, type, score)`."""
    grouped: List[List[EntityTuple]] = [[] for _ in range(batch_size)]
    for sentence, start, end, label, score in zip(
        entities.batch.tolist(), entities.starts.tolist(), entities.ends.tolist(),
        entities.types.tolist(), entities.scores.tolist(),
    ):
        grouped[sentence].append((start, end + 1, labels[label], score))
    return grouped


def group_relations(
    entities: PredictedEntities,
    pair_batch: torch.LongTensor,
    heads: torch.LongTensor,
    tails: torch.LongTensor,
    probabilities: torch.Tensor,
    threshold: float,
    batch_size: int,
    labels: Dict[int, str],
) -> List[List[RelationTuple]]:
    """
    Per sentence, the relations scoring at least `threshold`, as `(head, tail, type, score)` where
    `head` and `tail` index that sentence's entity list.
    """
    offsets = sentence_offsets(entities.batch, batch_size)
    grouped: List[List[RelationTuple]] = [[] for _ in range(batch_size)]
    pair_index, label_index = (probabilities >= threshold).nonzero(as_tuple=True)
    for sentence, head, tail, label, score in zip(
        pair_batch[pair_index].tolist(),
        heads[pair_index].tolist(),
        tails[pair_index].tolist(),
        label_index.tolist(),
        probabilities[pair_index, label_index].tolist(),
    ):
        first = offsets[sentence]
        grouped[sentence].append((head - first, tail - first, labels[label], score))
    return grouped
