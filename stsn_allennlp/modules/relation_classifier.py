"""STSN's relation decoder (§3.3): one linear layer over [E_head; E_tail; C_r], in plain PyTorch."""

import torch
from torch import nn


class RelationClassifier(nn.Linear):
    """
    Relation-type logits of a pair of spans from `[E_head; E_tail; C_r]`: the head's and the tail's
    span representations and the max-pooled context between them (a sigmoid per type outside).

    Being linear, it is the sum of a head, a tail and a context part. Inference, which scores every
    pair of a sentence's entities, computes each entity's head and tail parts once
    (`argument_parts`) and adds them per pair to the pair's `context_part`, instead of
    concatenating a representation per pair.

    # Parameters

    span_dim : `int`
        The size of a span representation E.
    context_dim : `int`
        The size of the context representation C_r.
    num_relation_types : `int`
        The number of relation types.
    """

    def __init__(self, span_dim: int, context_dim: int, num_relation_types: int) -> None:
        super().__init__(2 * span_dim + context_dim, num_relation_types)
        self.span_dim = span_dim

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

    def context_part(self, context: torch.Tensor) -> torch.Tensor:
        """
        # Parameters

        context : `torch.Tensor`
            Shape `(num_pairs, context_dim)`.

        # Returns

        `torch.Tensor`
            Shape `(num_pairs, num_relation_types)`.
        """
        return context @ self.weight[:, 2 * self.span_dim :].t()
