import pytest
import torch

from stsn_allennlp.modules.relation_classifier import RelationClassifier, distance_buckets


def test_argument_and_pair_parts_sum_to_the_logits_of_the_concatenation():
    """Inference adds per-entity head and tail parts to a per-pair context part; training runs the
    layer on [E_head; E_tail; C_r]. Both must give the same logits."""
    torch.manual_seed(0)
    classifier = RelationClassifier(span_dim=6, context_dim=4, num_relation_types=3)
    torch.nn.init.normal_(classifier.bias)
    entities = torch.randn(5, 6)
    heads, tails = torch.tensor([0, 1, 4, 2]), torch.tensor([1, 0, 2, 3])
    context = torch.randn(4, 4)
    head_part, tail_part = classifier.argument_parts(entities)
    factored = head_part[heads] + tail_part[tails] + classifier.pair_part(context)
    concatenated = classifier(torch.cat([entities[heads], entities[tails], context], dim=-1))
    assert torch.allclose(factored, concatenated, atol=1e-6)
    assert concatenated.std() > 0.1  # the logits differ between pairs and types


def test_head_and_tail_are_not_interchangeable():
    torch.manual_seed(0)
    classifier = RelationClassifier(span_dim=6, context_dim=4, num_relation_types=3)
    head_part, tail_part = classifier.argument_parts(torch.randn(2, 6))
    context = classifier.pair_part(torch.randn(1, 4))
    assert not torch.allclose(
        head_part[0] + tail_part[1] + context, head_part[1] + tail_part[0] + context
    )


def test_distances_fall_into_identity_then_power_of_two_buckets():
    distances = torch.tensor([0, 1, 4, 5, 7, 8, 15, 16, 63, 64, 500])
    assert distance_buckets(distances).tolist() == [0, 1, 4, 5, 5, 6, 6, 7, 8, 9, 9]


@pytest.mark.parametrize("distance_embedding_dim", [0, 3])
def test_the_pair_representation_holds_the_distance_embedding_only_when_asked(
    distance_embedding_dim,
):
    classifier = RelationClassifier(6, 4, 3, distance_embedding_dim=distance_embedding_dim)
    context = torch.randn(2, 4)
    pair = classifier.pair_representation(context, torch.tensor([0, 20]))
    assert pair.shape == (2, 4 + distance_embedding_dim)
    assert torch.equal(pair[:, :4], context)


def test_with_a_distance_embedding_parts_still_sum_to_the_concatenation_and_distance_counts():
    torch.manual_seed(0)
    classifier = RelationClassifier(6, 4, 3, distance_embedding_dim=5)
    entities, context = torch.randn(2, 6), torch.randn(1, 4).expand(2, 4)
    near_and_far = classifier.pair_representation(context, torch.tensor([1, 40]))
    head_part, tail_part = classifier.argument_parts(entities)
    factored = head_part[[0, 0]] + tail_part[[1, 1]] + classifier.pair_part(near_and_far)
    concatenated = classifier(torch.cat([entities[[0, 0]], entities[[1, 1]], near_and_far], -1))
    assert torch.allclose(factored, concatenated, atol=1e-6)
    # the same two spans and context, near or far: only the distance tells the logits apart
    assert not torch.allclose(factored[0], factored[1])
