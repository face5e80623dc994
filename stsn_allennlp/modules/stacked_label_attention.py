"""The registered `Seq2SeqEncoder` of STSN: projections into three streams and N stacked layers."""

from typing import Any

import torch
from allennlp.modules.seq2seq_encoders import Seq2SeqEncoder
from torch import nn

from stsn_allennlp.modules.label_attention import LabelAttentionLayer, LabelAttentionStreams

_OLD_STACK_PREFIX = "_stack."
"""Where archives trained before the encoder owned its layers kept them (`_encoder._stack.*`)."""


@Seq2SeqEncoder.register("stacked_label_attention")
class StackedLabelAttentionEncoder(Seq2SeqEncoder):
    """
    STSN's encoder (§3.2.1): token representations are projected into the initial streams H_L^0,
    H_E^0 and H_R^0, which run through `num_layers` `LabelAttentionLayer`s (the three attention
    units E&R-L-A, L-E-A and L-R-A). With `num_layers = 0` (the paper's "-AttentionLayer" ablation)
    the projections are the output.

    Unlike other `Seq2SeqEncoder`s it carries three streams, so `forward` returns a
    `LabelAttentionStreams` tuple `(labels, entities, relations)` instead of a single tensor; each
    has shape `(batch_size, num_tokens, get_output_dim())`. The `stsn` model accepts no other
    encoder. It stays a `Seq2SeqEncoder` all the same: configs name it as allennlp-models' name
    theirs (`"encoder": {"type": "stacked_label_attention", ...}`), and the model checks its
    `get_input_dim()` against the embedder and sizes its decoders by `get_output_dim()`; the
    three-stream return is the one departure, refused loudly for any other encoder at
    construction rather than failing inside `forward`.

    Registered as a `Seq2SeqEncoder` with name "stacked_label_attention".

    # Parameters

    input_dim : `int`
        The size of the token representations (the transformer's hidden size).
    hidden_dim : `int`, optional (default = `None`)
        The size d of every stream; defaults to `input_dim`, as in the paper.
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
        hidden_dim: int | None = None,
        num_layers: int = 4,
        num_heads: int = 8,
        dropout: float = 0.1,
        use_entity_relation_to_label_attention: bool = True,
    ) -> None:
        super().__init__(stateful=False)
        hidden_dim = hidden_dim or input_dim
        if num_layers < 0:
            raise ValueError(f"num_layers must be >= 0, got {num_layers}")
        if hidden_dim % num_heads != 0:
            raise ValueError(f"hidden_dim {hidden_dim} is not divisible by num_heads {num_heads}")
        self._input_dim = input_dim
        self._hidden_dim = hidden_dim
        self._use_entity_relation_to_label_attention = use_entity_relation_to_label_attention
        self.label_projection = nn.Linear(input_dim, hidden_dim)
        self.entity_projection = nn.Linear(input_dim, hidden_dim)
        self.relation_projection = nn.Linear(input_dim, hidden_dim)
        self.layers = nn.ModuleList(
            LabelAttentionLayer(
                hidden_dim, num_heads, dropout, use_entity_relation_to_label_attention
            )
            for _ in range(num_layers)
        )

    def get_input_dim(self) -> int:
        return self._input_dim

    def get_output_dim(self) -> int:
        return self._hidden_dim

    def is_bidirectional(self) -> bool:
        return False

    @property
    def num_layers(self) -> int:
        """The number N of stacked attention layers."""
        return len(self.layers)

    @property
    def uses_entity_relation_to_label_attention(self) -> bool:
        """`False` under the "-E&R-L-A" ablation."""
        return self._use_entity_relation_to_label_attention

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

    def _load_from_state_dict(
        self, state_dict: dict[str, Any], prefix: str, *args: Any, **kwargs: Any
    ) -> None:
        """Loads archives from before the encoder owned its layers, which kept them under `_stack.`."""
        old_prefix = prefix + _OLD_STACK_PREFIX
        old_keys: list[str] = [key for key in state_dict if key.startswith(old_prefix)]
        for key in old_keys:
            state_dict[prefix + key[len(old_prefix) :]] = state_dict.pop(key)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
