"""Relation logits of span pairs (§3.3), one computation for the loss and for inference."""

from collections.abc import Iterator

import torch
from torch import nn

from stsn_allennlp.models.decoding import CandidatePairs, CandidateSpans
from stsn_allennlp.modules.relation_classifier import RelationClassifier
from stsn_allennlp.modules.span_representation import (
    RangeMaxPooler,
    SpanEndpointRepresentation,
    relation_context_bounds,
)


class RelationScorer:
    """
    Scores ordered pairs of argument spans with the relation classifier over
    `[E_head; E_tail; C_r (; D)]`, in chunks of at most `max_pairs_per_chunk` pairs.

    Each argument span is represented once and split into its head and tail parts
    (`RelationClassifier.argument_parts`), which every pair adds to its own pair part: training
    passes each sampled pair's two spans as arguments, inference the predicted entities, whose
    pairs grow with their square. The scorer holds no parameters of its own: the model owns the
    span representation and the classifier, so archives keep their parameter names.

    # Parameters

    span_representation : `SpanEndpointRepresentation`
        Represents the argument spans (shared with the span classifier).
    classifier : `RelationClassifier`
        The relation classifier.
    dropout : `nn.Module`
        Applied to the span and pair representations (a no-op outside training).
    max_pairs_per_chunk : `int`
        The most pairs whose pair representations are built at once.
    """

    def __init__(
        self,
        span_representation: SpanEndpointRepresentation,
        classifier: RelationClassifier,
        dropout: nn.Module,
        max_pairs_per_chunk: int,
    ) -> None:
        self._span_representation = span_representation
        self._classifier = classifier
        self._dropout = dropout
        self._max_pairs_per_chunk = max_pairs_per_chunk

    def chunks(
        self, states: torch.Tensor, arguments: CandidateSpans, pairs: CandidatePairs
    ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        """
        The relation logits of `pairs`, chunk by chunk.

        # Parameters

        states : `torch.Tensor`
            The relation decoder's token states, shape `(batch_size, num_tokens, state_dim)`.
        arguments : `CandidateSpans`
            The argument spans (inclusive ends), `num_arguments` of them.
        pairs : `CandidatePairs`
            The pairs to score; `heads` and `tails` index `arguments`.

        # Returns

        `Iterator[Tuple[torch.Tensor, torch.Tensor]]`
            Per chunk: the positions of its pairs in `pairs`, shape `(chunk_size,)`, and their
            logits, shape `(chunk_size, num_relation_types)`.
        """
        pooler = RangeMaxPooler(states)
        # Shape: (num_arguments, num_relation_types), each
        head_part, tail_part = self._classifier.argument_parts(
            self._dropout(self._span_representation(states, *arguments, pooler))
        )
        for chunk in torch.split(torch.arange(pairs.batch.size(0)), self._max_pairs_per_chunk):
            head, tail = pairs.heads[chunk], pairs.tails[chunk]
            # Shape: (chunk_size, pair_dim)
            pair = self._pair_representation(
                pooler,
                pairs.batch[chunk],
                arguments.starts[head],
                arguments.ends[head],
                arguments.starts[tail],
                arguments.ends[tail],
            )
            yield (
                chunk,
                head_part[head] + tail_part[tail] + self._classifier.pair_part(self._dropout(pair)),
            )

    def _pair_representation(
        self,
        pooler: RangeMaxPooler,
        batch: torch.Tensor,
        head_starts: torch.Tensor,
        head_ends: torch.Tensor,
        tail_starts: torch.Tensor,
        tail_ends: torch.Tensor,
    ) -> torch.Tensor:
        """
        What the classifier sees of a pair beyond its two spans: the max-pooled context C_r
        between the spans (inclusive ends), and the distance embedding when the classifier has
        one. Shape `(num_pairs, pair_dim)`.
        """
        context_starts, context_ends = relation_context_bounds(
            head_starts, head_ends, tail_starts, tail_ends
        )
        distances = (context_ends - context_starts + 1).clamp(min=0)
        return self._classifier.pair_representation(
            pooler(batch, context_starts, context_ends), distances
        )
