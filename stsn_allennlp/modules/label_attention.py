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

    def forward(
        self, streams: LabelAttentionStreams, mask: torch.BoolTensor
    ) -> LabelAttentionStreams:
        if self.use_entity_relation_to_label_attention:
            task_context = self.combine_tasks(
                torch.cat([streams.entities, streams.relations], dim=-1)
            )
        else:
            task_context = streams.labels
        labels = self.label_attention(streams.labels, task_context, mask)
        entities = self.entity_attention(streams.entities, labels, mask)
        relations = self.relation_attention(streams.relations, labels, mask)
        return LabelAttentionStreams(labels, entities, relations)
