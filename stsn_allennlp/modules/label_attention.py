"""The paper's deep stacked attention architecture (§3.2.1), in plain PyTorch."""
from typing import NamedTuple

import torch
from torch import nn

from stsn_allennlp.modules.attention_unit import AttentionUnit


class LabelAttentionStreams(NamedTuple):
    """
    The three representation streams that the stacked attention layers carry.

    `labels` is H_L (token BIO labels, for sequence tagging), `entities` is H_E (for span-based NER)
    and `relations` is H_R (for span-based RE); each has shape `(batch_size, num_tokens, hidden_dim)`.
    """

    labels: torch.Tensor
    entities: torch.Tensor
    relations: torch.Tensor


class LabelAttentionLayer(nn.Module):
    """
    One stacked attention layer:

        H_C = [H_E; H_R] W_C + b_C
        H_L' = E&R-L-A(H_L, H_C, H_C)      (or H_L attending to itself, without E&R-L-A)
        H_E' = L-E-A(H_E, H_L', H_L')
        H_R' = L-R-A(H_R, H_L', H_L')

    # Parameters

    hidden_dim : `int`
        The size d of every stream.
    num_heads : `int`, optional (default = `8`)
        Attention heads of each unit.
    dropout : `float`, optional (default = `0.1`)
        Dropout inside the attention units.
    use_entity_relation_to_label_attention : `bool`, optional (default = `True`)
        `False` is the paper's "-E&R-L-A" ablation: H_L attends to itself instead of to H_C, so no
        span-based task information flows back into the label stream.
    """

    def __init__(
        self,
        hidden_dim: int,
        num_heads: int = 8,
        dropout: float = 0.1,
        use_entity_relation_to_label_attention: bool = True,
    ) -> None:
        super().__init__()
        self.use_entity_relation_to_label_attention = use_entity_relation_to_label_attention
        if use_entity_relation_to_label_attention:
            self.combine_tasks = nn.Linear(2 * hidden_dim, hidden_dim)
        self.label_attention = AttentionUnit(hidden_dim, num_heads, dropout)
        self.entity_attention = AttentionUnit(hidden_dim, num_heads, dropout)
        self.relation_attention = AttentionUnit(hidden_dim, num_heads, dropout)

    def forward(self, streams: LabelAttentionStreams, mask: torch.BoolTensor) -> LabelAttentionStreams:
        if self.use_entity_relation_to_label_attention:
            task_context = self.combine_tasks(torch.cat([streams.entities, streams.relations], dim=-1))
        else:
            task_context = streams.labels
        labels = self.label_attention(streams.labels, task_context, mask)
        entities = self.entity_attention(streams.entities, labels, mask)
        relations = self.relation_attention(streams.relations, labels, mask)
        return LabelAttentionStreams(labels, entities, relations)


class LabelAttentionStack(nn.Module):
    """
    Projects token representations into the initial streams H_L^0, H_E^0, H_R^0 and runs them through
    `num_layers` `LabelAttentionLayer`s. With `num_layers = 0` (the paper's "-AttentionLayer"
    ablation) the projections are the output.

    # Parameters

    input_dim : `int`
        The size of the token representations (the transformer's hidden size).
    hidden_dim : `int`
        The size d of every stream.
    num_layers : `int`, optional (default = `4`)
        The number N of stacked attention layers.
    num_heads : `int`, optional (default = `8`)
        Attention heads of each unit.
    dropout : `float`, optional (default = `0.1`)
        Dropout inside the attention units.
    use_entity_relation_to_label_attention : `bool`, optional (default = `True`)
        See `LabelAttentionLayer`.
    """

    def __init__(
        self,
        input_dim: int,
        hidden_dim: int,
        num_layers: int = 4,
        num_heads: int = 8,
        dropout: float = 0.1,
        use_entity_relation_to_label_attention: bool = True,
    ) -> None:
        super().__init__()
        if num_layers < 0:
            raise ValueError(f"num_layers must be >= 0, got {num_layers}")
        if hidden_dim % num_heads != 0:
            raise ValueError(f"hidden_dim {hidden_dim} is not divisible by num_heads {num_heads}")
        self.label_projection = nn.Linear(input_dim, hidden_dim)
        self.entity_projection = nn.Linear(input_dim, hidden_dim)
        self.relation_projection = nn.Linear(input_dim, hidden_dim)
        self.layers = nn.ModuleList(
            LabelAttentionLayer(hidden_dim, num_heads, dropout, use_entity_relation_to_label_attention)
            for _ in range(num_layers)
        )

    def forward(self, inputs: torch.Tensor, mask: torch.BoolTensor) -> LabelAttentionStreams:
        """
        # Parameters

        inputs : `torch.Tensor`
            Token representations, shape `(batch_size, num_tokens, input_dim)`.
        mask : `torch.BoolTensor`
            Shape `(batch_size, num_tokens)`, `True` for real tokens.
        """
        streams = LabelAttentionStreams(
            self.label_projection(inputs),
            self.entity_projection(inputs),
            self.relation_projection(inputs),
        )
        for layer in self.layers:
            streams = layer(streams, mask)
        return streams
