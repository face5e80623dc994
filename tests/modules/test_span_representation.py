import torch

from stsn_allennlp.modules.span_representation import (
    RangeMaxPooler,
    SpanEndpointRepresentation,
    relation_context_bounds,
)


def test_range_max_pooler_matches_naive_max_for_every_range():
    torch.manual_seed(0)
    states = torch.randn(2, 13, 5)
    pooler = RangeMaxPooler(states)
    batch, starts, ends = [], [], []
    for b in range(2):
        for start in range(13):
            for end in range(start - 1, 13):
                batch.append(b), starts.append(start), ends.append(end)
    pooled = pooler(torch.tensor(batch), torch.tensor(starts), torch.tensor(ends))
    for row, (b, start, end) in enumerate(zip(batch, starts, ends)):
        expected = states[b, start : end + 1].max(dim=0).values if end >= start else torch.zeros(5)
        assert torch.equal(pooled[row], expected)


def test_range_max_pooler_handles_empty_ranges_at_the_sentence_end():
    pooler = RangeMaxPooler(torch.randn(1, 4, 3))
    pooled = pooler(torch.tensor([0]), torch.tensor([4]), torch.tensor([3]))
    assert torch.equal(pooled, torch.zeros(1, 3))


def test_range_max_pooler_passes_gradients():
    states = torch.randn(1, 6, 3, requires_grad=True)
    RangeMaxPooler(states)(torch.tensor([0]), torch.tensor([1]), torch.tensor([4])).sum().backward()
    assert states.grad[0, 1:5].abs().sum() > 0
    assert states.grad[0, [0, 5]].abs().sum() == 0


def test_relation_context_is_strictly_between_spans_in_either_order():
    starts, ends = relation_context_bounds(
        torch.tensor([0, 5, 2, 0]),
        torch.tensor([1, 6, 3, 4]),
        torch.tensor([4, 0, 4, 2]),
        torch.tensor([4, 2, 5, 3]),
    )
    assert starts.tolist()[:2] == [2, 3] and ends.tolist()[:2] == [3, 4]
    assert (ends[2:] < starts[2:]).all()  # adjacent, overlapping: empty context


def test_span_endpoint_representation_concatenates_head_tail_and_width():
    representation = SpanEndpointRepresentation(max_span_width=3, width_embedding_dim=2)
    states = torch.arange(2 * 5 * 4, dtype=torch.float).view(2, 5, 4)
    output = representation(
        states, torch.tensor([1, 0]), torch.tensor([1, 0]), torch.tensor([3, 4])
    )
    assert output.shape == (2, representation.get_output_dim(4)) == (2, 10)
    assert torch.equal(output[0, :4], states[1, 1]) and torch.equal(output[0, 4:8], states[1, 3])
    width_embedding = representation.width_embedding.weight
    assert torch.equal(output[0, 8:], width_embedding[2])
    assert torch.equal(output[1, 8:], width_embedding[2])  # width 5 shares the last embedding


def test_the_inside_of_a_span_is_max_pooled_only_when_asked():
    states = torch.tensor([[[1.0, 5.0], [4.0, 0.0], [2.0, 3.0], [0.0, 9.0]]])
    batch, starts, ends = torch.tensor([0]), torch.tensor([0]), torch.tensor([2])
    endpoints = SpanEndpointRepresentation(max_span_width=4, width_embedding_dim=3)
    pooled = SpanEndpointRepresentation(max_span_width=4, width_embedding_dim=3, pool_inside=True)
    pooled.width_embedding.load_state_dict(endpoints.width_embedding.state_dict())
    plain = endpoints(states, batch, starts, ends)
    with_inside = pooled(states, batch, starts, ends)
    assert with_inside.shape == (1, pooled.get_output_dim(2)) == (1, 2 * 2 + 3 + 2)
    assert torch.equal(with_inside[:, :7], plain)
    # tokens 0-2: the middle token's 4.0 is the maximum of the first dimension, token 3 is outside
    assert with_inside[0, 7:].tolist() == [4.0, 5.0]
