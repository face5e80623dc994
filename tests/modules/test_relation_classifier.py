import torch

from stsn_allennlp.modules.relation_classifier import RelationClassifier


def test_argument_and_context_parts_sum_to_the_logits_of_the_concatenation():
    """Inference adds per-entity head and tail parts to a per-pair context part; training runs the
    layer on [E_head; E_tail; C_r]. Both must give the same logits."""
    torch.manual_seed(0)
    classifier = RelationClassifier(span_dim=6, context_dim=4, num_relation_types=3)
    torch.nn.init.normal_(classifier.bias)
    entities = torch.randn(5, 6)
    heads, tails = torch.tensor([0, 1, 4, 2]), torch.tensor([1, 0, 2, 3])
    context = torch.randn(4, 4)
    head_part, tail_part = classifier.argument_parts(entities)
    factored = head_part[heads] + tail_part[tails] + classifier.context_part(context)
    concatenated = classifier(torch.cat([entities[heads], entities[tails], context], dim=-1))
    assert torch.allclose(factored, concatenated, atol=1e-6)
    assert concatenated.std() > 0.1  # the logits differ between pairs and types


def test_head_and_tail_are_not_interchangeable():
    torch.manual_seed(0)
    classifier = RelationClassifier(span_dim=6, context_dim=4, num_relation_types=3)
    head_part, tail_part = classifier.argument_parts(torch.randn(2, 6))
    context = classifier.context_part(torch.randn(1, 4))
    assert not torch.allclose(
        head_part[0] + tail_part[1] + context, head_part[1] + tail_part[0] + context
    )
