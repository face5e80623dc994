"""Span and span-pair representations (§3.3), in plain PyTorch over flat index tensors.

Spans are given as flat tensors `(batch_index, start, end)` with `end` inclusive, so that padded spans
and pairs of a batch never enter the computation.
"""

import torch
from torch import nn


class SpanEndpointRepresentation(nn.Module):
    """
    E_s = [h_start; h_end; W_width]: the token states at a span's head and tail, and an embedding of
    its width (Luan et al., 2018). Widths above `max_span_width` share the last embedding. With
    `pool_inside`, the max-pool of the span's token states follows (SpERT's span representation):
    the endpoints alone say little of the middle of a long name ("People 's Republic of China").

    # Parameters

    max_span_width : `int`
        The largest span width with an embedding of its own.
    width_embedding_dim : `int`
        The size of the width embedding.
    pool_inside : `bool`, optional (default = `False`)
        Append the max-pool of the span's tokens; `False` is the paper's representation.
    """

    def __init__(
        self, max_span_width: int, width_embedding_dim: int, pool_inside: bool = False
    ) -> None:
        super().__init__()
        self.max_span_width = max_span_width
        self.width_embedding = nn.Embedding(max_span_width, width_embedding_dim)
        self.pool_inside = pool_inside

    def get_output_dim(self, state_dim: int) -> int:
        pooled = state_dim if self.pool_inside else 0
        return 2 * state_dim + self.width_embedding.embedding_dim + pooled

    def forward(
        self,
        states: torch.Tensor,
        batch_index: torch.Tensor,
        starts: torch.Tensor,
        ends: torch.Tensor,
        pooler: "RangeMaxPooler | None" = None,
    ) -> torch.Tensor:
        """
        # Parameters

        states : `torch.Tensor`
            Token states, shape `(batch_size, num_tokens, state_dim)`.
        batch_index, starts, ends : `torch.LongTensor`
            Shape `(num_spans,)`: each span's sentence, first and last token (inclusive).
        pooler : `RangeMaxPooler`, optional (default = `None`)
            A pooler already built over `states`, with `pool_inside`; otherwise one is built.

        # Returns

        `torch.Tensor`
            Shape `(num_spans, get_output_dim(state_dim))`.
        """
        widths = (ends - starts).clamp(0, self.max_span_width - 1)
        parts = [
            states[batch_index, starts],
            states[batch_index, ends],
            self.width_embedding(widths),
        ]
        if self.pool_inside:
            parts.append((pooler or RangeMaxPooler(states))(batch_index, starts, ends))
        return torch.cat(parts, dim=-1)


class RangeMaxPooler:
    """
    Max-pools token states over arbitrary token ranges in O(1) per range, with a sparse table built
    once per batch: `table[k][b, i]` is the maximum of `states[b, i : i + 2**k]`. Memory is
    `O(batch_size * num_tokens * log2(num_tokens) * state_dim)` however many ranges are pooled, so the
    relation context C_r of thousands of pairs costs two gathers each.

    # Parameters

    states : `torch.Tensor`
        Token states, shape `(batch_size, num_tokens, state_dim)`.
    """

    def __init__(self, states: torch.Tensor) -> None:
        self._table = [states]
        width = 1
        while 2 * width <= states.size(1):
            previous = self._table[-1]
            self._table.append(torch.maximum(previous[:, :-width], previous[:, width:]))
            width *= 2

    def __call__(
        self, batch_index: torch.Tensor, starts: torch.Tensor, ends: torch.Tensor
    ) -> torch.Tensor:
        """
        Max over `states[batch_index, starts : ends + 1]` for each range; empty ranges
        (`ends < starts`) give zeros.

        # Returns

        `torch.Tensor`
            Shape `(num_ranges, state_dim)`.
        """
        empty = ends < starts
        lengths = (ends - starts + 1).clamp(min=1)
        levels = torch.floor(torch.log2(lengths.float())).long()
        starts = starts.masked_fill(empty, 0)
        ends = ends.masked_fill(empty, 0)
        states = self._table[0]
        pooled = states.new_zeros(batch_index.size(0), states.size(-1))
        for level in levels.unique().tolist():
            selected = levels == level
            table = self._table[level]
            rows = batch_index[selected]
            left = table[rows, starts[selected]]
            right = table[rows, ends[selected] - (1 << level) + 1]
            pooled[selected] = torch.maximum(left, right)
        return pooled.masked_fill(empty.unsqueeze(-1), 0.0)


def relation_context_bounds(
    head_starts: torch.Tensor,
    head_ends: torch.Tensor,
    tail_starts: torch.Tensor,
    tail_ends: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor]:
    """
    The tokens strictly between two spans (SpERT's relation context), as inclusive `(starts, ends)`;
    adjacent or overlapping spans give an empty range (`ends < starts`).
    """
    starts = torch.minimum(head_ends, tail_ends) + 1
    ends = torch.maximum(head_starts, tail_starts) - 1
    return starts, ends
