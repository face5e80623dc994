"""Analytic matmul FLOPs of the MiniLM encoder and of STSN's head stack (2 FLOPs per multiply-add).

Only matrix products are counted. Gathers, concatenations, the sparse-table max-pooling of the
relation context, softmax, layer norm and activations are memory-bound and left out (they are
O(n d), not O(n d^2)); so is the backward pass, which costs about twice the forward pass for the
encoder and the head alike and therefore leaves the STSN / encoder ratio unchanged.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class EncoderDims:
    """A BERT-style encoder: hidden size, feed-forward size, number of layers."""

    hidden: int = 384
    intermediate: int = 1536
    layers: int = 6


@dataclass(frozen=True)
class HeadDims:
    """STSN's head: stream size d, encoder output size, layers N, decoder sizes."""

    input_dim: int = 384
    hidden: int = 384
    layers: int = 4
    label_embedding: int = 150
    width_embedding: int = 150
    num_tags: int = 9
    num_entity_types: int = 5
    num_relation_types: int = 5
    use_label_embedding: bool = True
    use_erla: bool = True


def encoder_flops(pieces: float, dims: EncoderDims = EncoderDims()) -> float:
    """One forward pass over `pieces` word pieces ([CLS] and [SEP] included, as in the mask)."""
    d, f = dims.hidden, dims.intermediate
    per_layer = 4 * 2 * pieces * d * d + 2 * 2 * pieces * pieces * d + 2 * 2 * pieces * d * f
    return dims.layers * per_layer


def head_flops(
    words: float, spans: float, pairs: float, dims: HeadDims = HeadDims()
) -> dict[str, float]:
    """
    One forward pass of STSN's head over a sentence of `words` words with `spans` candidate spans
    and `pairs` scored entity pairs, by component.
    """
    n, d = words, dims.hidden
    state = d + (dims.label_embedding if dims.use_label_embedding else 0)
    span_dim = 2 * state + dims.width_embedding
    unit = (
        4 * 2 * n * d * d + 2 * 2 * n * n * d + 2 * 2 * n * d * d
    )  # Q,K,V,out + scores,context + FFN
    parts = {
        "projections": 3 * 2 * n * dims.input_dim * d,
        "fusion_H_C": dims.layers * (2 * n * 2 * d * d if dims.use_erla else 0),
        "attention_units": dims.layers * 3 * unit,
        "tagger": 2 * n * d * dims.num_tags,
        "span_classifier": 2 * spans * span_dim * dims.num_entity_types,
        "relation_classifier": 2 * pairs * (2 * span_dim + state) * dims.num_relation_types,
        "span_and_pair_representations": 0.0,  # gathers and max-pooling only: no matmul
    }
    parts["total"] = sum(parts.values())
    return parts
