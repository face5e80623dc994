import pytest
import torch

from stsn_allennlp.modules.attention_unit import AttentionUnit
from stsn_allennlp.modules.label_attention import LabelAttentionStreams
from stsn_allennlp.modules.stacked_label_attention import StackedLabelAttentionEncoder


def _mask(lengths, num_tokens):
    return torch.arange(num_tokens).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)


def test_attention_unit_ignores_padded_keys():
    torch.manual_seed(0)
    unit = AttentionUnit(16, num_heads=4, dropout=0.0).eval()
    query = torch.randn(1, 5, 16)
    key_value = torch.randn(1, 5, 16)
    mask = _mask([3], 5)
    changed = key_value.clone()
    changed[:, 3:] = 100.0
    assert torch.allclose(unit(query, key_value, mask), unit(query, changed, mask), atol=1e-6)


def test_attention_unit_output_depends_on_real_keys():
    torch.manual_seed(0)
    unit = AttentionUnit(16, num_heads=4, dropout=0.0).eval()
    query, key_value = torch.randn(1, 5, 16), torch.randn(1, 5, 16)
    mask = _mask([5], 5)
    changed = key_value.clone()
    changed[:, 0] += 1.0
    assert not torch.allclose(unit(query, key_value, mask), unit(query, changed, mask))


@pytest.mark.parametrize("num_layers", [0, 1, 4])
@pytest.mark.parametrize("cross_attention", [True, False])
def test_stack_shapes_and_layer_count(num_layers, cross_attention):
    stack = StackedLabelAttentionEncoder(
        12,
        16,
        num_layers,
        num_heads=4,
        dropout=0.0,
        use_entity_relation_to_label_attention=cross_attention,
    )
    streams = stack(torch.randn(2, 7, 12), _mask([7, 4], 7))
    assert stack.num_layers == num_layers
    assert stack.uses_entity_relation_to_label_attention == cross_attention
    for stream in streams:
        assert stream.shape == (2, 7, 16)
    has_combination = any(
        name.endswith("combine_tasks.weight") for name, _ in stack.named_parameters()
    )
    assert has_combination == (cross_attention and num_layers > 0)


def test_without_layers_the_streams_are_the_projections():
    stack = StackedLabelAttentionEncoder(12, 16, num_layers=0, num_heads=4)
    inputs = torch.randn(1, 3, 12)
    streams = stack(inputs, _mask([3], 3))
    assert torch.allclose(streams.entities, stack.entity_projection(inputs))


def test_entity_stream_sees_the_relation_stream_only_through_cross_attention():
    """
    With E&R-L-A, H_R^0 reaches H_E^1 through H_C -> H_L; without it, it cannot. The loss is a random
    weighting of H_E^1: a plain sum of a LayerNorm's output has an exactly zero gradient.
    """
    torch.manual_seed(0)
    for cross_attention in (True, False):
        stack = StackedLabelAttentionEncoder(
            8,
            8,
            num_layers=1,
            num_heads=2,
            dropout=0.0,
            use_entity_relation_to_label_attention=cross_attention,
        )
        inputs = torch.randn(1, 4, 8)
        relation_start = stack.relation_projection(inputs).detach().requires_grad_()
        streams = LabelAttentionStreams(
            stack.label_projection(inputs), stack.entity_projection(inputs), relation_start
        )
        output = stack.layers[0](streams, _mask([4], 4))
        weights = torch.randn_like(output.entities)
        (output.entities * weights).sum().backward()
        if cross_attention:
            assert relation_start.grad is not None
            assert relation_start.grad.abs().max() > 1e-3
        else:
            assert relation_start.grad is None


def test_registered_encoder_reports_dimensions_and_rejects_bad_heads():
    encoder = StackedLabelAttentionEncoder(input_dim=32, num_layers=2, num_heads=8)
    assert (encoder.get_input_dim(), encoder.get_output_dim()) == (32, 32)
    streams = encoder(torch.randn(2, 5, 32), _mask([5, 2], 5))
    assert streams.labels.shape == (2, 5, 32)
    with pytest.raises(ValueError, match="divisible"):
        StackedLabelAttentionEncoder(input_dim=30, num_heads=8)


def test_an_archive_from_before_the_encoder_owned_its_layers_loads():
    """Archives trained before this version kept the encoder's layers under `_stack.`."""
    torch.manual_seed(0)
    encoder = StackedLabelAttentionEncoder(input_dim=8, num_layers=1, num_heads=2).eval()
    old_state = {f"encoder._stack.{key}": value for key, value in encoder.state_dict().items()}
    model = torch.nn.Module()
    model.encoder = StackedLabelAttentionEncoder(input_dim=8, num_layers=1, num_heads=2).eval()
    model.load_state_dict(old_state)
    inputs, mask = torch.randn(1, 3, 8), _mask([3], 3)
    assert torch.equal(model.encoder(inputs, mask).relations, encoder(inputs, mask).relations)
