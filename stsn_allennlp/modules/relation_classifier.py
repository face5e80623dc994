"""STSN's relation decoder (§3.3): one linear layer over [E_head; E_tail; C_r], in plain PyTorch,
optionally with an embedding of the distance between the two spans."""

import torch
from torch import nn

NUM_DISTANCE_BUCKETS = 10
"""Distances between spans, in tokens, fall into 0, 1, 2, 3, 4, 5-7, 8-15, 16-31, 32-63 and 64+."""


def distance_buckets(distances: torch.Tensor) -> torch.Tensor:
    """
    The bucket of each distance (see `NUM_DISTANCE_BUCKETS`): one per value up to 4, then one per
    power of two, the last open-ended.

    # Parameters

    distances : `torch.LongTensor`
        Non-negative token distances, any shape.
    """
    log_bucket = torch.log2(distances.clamp(min=1).float()).floor().long() + 3
    buckets = torch.where(distances < 5, distances, log_bucket)
    return buckets.clamp(max=NUM_DISTANCE_BUCKETS - 1)


class RelationClassifier(nn.Linear):
    """
    Relation-type logits of a pair of spans from `[E_head; E_tail; C_r]`: the head's and the tail's
    span representations and the max-pooled context between them (a sigmoid per type outside), and,
    with `distance_embedding_dim > 0`, `D`, an embedding of the number of tokens between the spans
    (bucketed by `distance_buckets`; 0 for adjacent or overlapping spans).

    Being linear, it is the sum of a head, a tail and a pair part. `RelationScorer`, which scores
    the pairs of the loss and of inference (every pair of a sentence's entities), computes each
    argument's head and tail parts once (`argument_parts`) and adds them per pair to the pair's
    `pair_part`, instead of concatenating a representation per pair (what `forward` takes). The
    head and tail parts alone are additive, so only the pair part can
    tell a near pair from a far one: the distance embedding says so directly, where the context
    max-pool does so only through its contents.

    # Parameters

    span_dim : `int`
        The size of a span representation E.
    context_dim : `int`
        The size of the context representation C_r.
    num_relation_types : `int`
        The number of relation types.
    distance_embedding_dim : `int`, optional (default = `0`)
        The size of the distance embedding D; `0`: none (the paper).
    """

    def __init__(
        self,
        span_dim: int,
        context_dim: int,
        num_relation_types: int,
        distance_embedding_dim: int = 0,
    ) -> None:
        super().__init__(2 * span_dim + context_dim + distance_embedding_dim, num_relation_types)
        self.span_dim = span_dim
        self.distance_embedding = (
            nn.Embedding(NUM_DISTANCE_BUCKETS, distance_embedding_dim)
            if distance_embedding_dim > 0
            else None
        )

    def pair_representation(self, context: torch.Tensor, distances: torch.Tensor) -> torch.Tensor:
        """
        `[C_r; D]`, or `C_r` without a distance embedding: the part of the input that belongs to
        the pair rather than to either span.

        # Parameters

        context : `torch.Tensor`
            Shape `(num_pairs, context_dim)`.
        distances : `torch.LongTensor`
            Shape `(num_pairs,)`: the tokens between the two spans.

        # Returns

        `torch.Tensor`
            Shape `(num_pairs, context_dim + distance_embedding_dim)`.
        """
        if self.distance_embedding is None:
            return context
        return torch.cat([context, self.distance_embedding(distance_buckets(distances))], dim=-1)

    def argument_parts(
        self, span_representations: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """
        The head part (with the bias) and the tail part of each span.

        # Parameters

        span_representations : `torch.Tensor`
            Shape `(num_spans, span_dim)`.

        # Returns

        `Tuple[torch.Tensor, torch.Tensor]`
            Each of shape `(num_spans, num_relation_types)`.
        """
        head_weight = self.weight[:, : self.span_dim]
        tail_weight = self.weight[:, self.span_dim : 2 * self.span_dim]
        return (
            span_representations @ head_weight.t() + self.bias,
            span_representations @ tail_weight.t(),
        )

    def pair_part(self, pair_representation: torch.Tensor) -> torch.Tensor:
        """
        # Parameters

        pair_representation : `torch.Tensor`
            Shape `(num_pairs, context_dim + distance_embedding_dim)` (see `pair_representation`).

        # Returns

        `torch.Tensor`
            Shape `(num_pairs, num_relation_types)`.
        """
        return pair_representation @ self.weight[:, 2 * self.span_dim :].t()
