"""The registered `Seq2SeqEncoder` around `LabelAttentionStack`."""
from typing import Optional

import torch
from allennlp.modules.seq2seq_encoders import Seq2SeqEncoder

from stsn_allennlp.modules.label_attention import LabelAttentionStack, LabelAttentionStreams


@Seq2SeqEncoder.register("stacked_label_attention")
class StackedLabelAttentionEncoder(Seq2SeqEncoder):
    """
    STSN's encoder (§3.2): N stacked layers of the three attention units E&R-L-A, L-E-A and L-R-A.

    Unlike other `Seq2SeqEncoder`s it carries three streams, so `forward` returns a
    `LabelAttentionStreams` tuple `(labels, entities, relations)` instead of a single tensor; each has
    shape `(batch_size, num_tokens, get_output_dim())`.

    Registered as a `Seq2SeqEncoder` with name "stacked_label_attention".

    # Parameters

    input_dim : `int`
        The size of the token representations (the transformer's hidden size).
    hidden_dim : `int`, optional (default = `None`)
        The size of every stream; defaults to `input_dim`, as in the paper.
    num_layers : `int`, optional (default = `4`)
        The number N of stacked attention layers; `0` is the "-AttentionLayer" ablation.
    num_heads : `int`, optional (default = `8`)
        Attention heads of each unit.
    dropout : `float`, optional (default = `0.1`)
        Dropout inside the attention units.
    use_entity_relation_to_label_attention : `bool`, optional (default = `True`)
        `False` is the "-E&R-L-A" ablation: the label stream attends to itself.
    """

    def __init__(
        self,
        input_dim: int,
        hidden_dim: Optional[int] = None,
        num_layers: int = 4,
        num_heads: int = 8,
        dropout: float = 0.1,
        use_entity_relation_to_label_attention: bool = True,
    ) -> None:
        super().__init__(stateful=False)
        self._input_dim = input_dim
        self._hidden_dim = hidden_dim or input_dim
        self._stack = LabelAttentionStack(
            input_dim,
            self._hidden_dim,
            num_layers=num_layers,
            num_heads=num_heads,
            dropout=dropout,
            use_entity_relation_to_label_attention=use_entity_relation_to_label_attention,
        )

    def get_input_dim(self) -> int:
        return self._input_dim

    def get_output_dim(self) -> int:
        return self._hidden_dim

    def is_bidirectional(self) -> bool:
        return False

    def forward(self, inputs: torch.Tensor, mask: torch.BoolTensor) -> LabelAttentionStreams:  # type: ignore
        return self._stack(inputs, mask)
