"""The paper's basic attention unit (§3.2.2), in plain PyTorch."""

import torch
from torch import nn


class AttentionUnit(nn.Module):
    """
    Multi-head attention from a query sequence to a key/value sequence, then a position-wise
    feed-forward network (d -> d -> d, ReLU); each sub-layer has a residual connection followed by
    layer normalisation. This is a Transformer encoder layer whose keys and values come from another
    stream: E&R-L-A, L-E-A and L-R-A are three instances of it.

    # Parameters

    hidden_dim : `int`
        The size d of the query, key, value and output vectors.
    num_heads : `int`, optional (default = `8`)
        The number h of attention heads; `hidden_dim` must be divisible by it.
    dropout : `float`, optional (default = `0.1`)
        Dropout on the attention weights and on each sub-layer's output before the residual sum.
    """

    def __init__(self, hidden_dim: int, num_heads: int = 8, dropout: float = 0.1) -> None:
        super().__init__()
        self.attention = nn.MultiheadAttention(
            hidden_dim, num_heads, dropout=dropout, batch_first=True
        )
        self.attention_norm = nn.LayerNorm(hidden_dim)
        self.feed_forward = nn.Sequential(
            nn.Linear(hidden_dim, hidden_dim), nn.ReLU(), nn.Linear(hidden_dim, hidden_dim)
        )
        self.feed_forward_norm = nn.LayerNorm(hidden_dim)
        self.dropout = nn.Dropout(dropout)

    def forward(
        self, query: torch.Tensor, key_value: torch.Tensor, mask: torch.BoolTensor
    ) -> torch.Tensor:
        """
        # Parameters

        query : `torch.Tensor`
            Shape `(batch_size, num_tokens, hidden_dim)`.
        key_value : `torch.Tensor`
            Shape `(batch_size, num_tokens, hidden_dim)`: keys and values are the same sequence.
        mask : `torch.BoolTensor`
            Shape `(batch_size, num_tokens)`, `True` for real tokens; padded keys get no attention.

        # Returns

        `torch.Tensor`
            Shape `(batch_size, num_tokens, hidden_dim)`.
        """
        attended, _ = self.attention(
            query, key_value, key_value, key_padding_mask=~mask, need_weights=False
        )
        hidden = self.attention_norm(query + self.dropout(attended))
        return self.feed_forward_norm(hidden + self.dropout(self.feed_forward(hidden)))
