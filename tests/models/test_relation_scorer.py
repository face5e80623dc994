"""The relation scorer shared by the loss and inference."""

import torch
from torch import nn

from stsn_allennlp.models.decoding import CandidatePairs, CandidateSpans
from stsn_allennlp.models.relation_scorer import RelationScorer
from stsn_allennlp.modules.relation_classifier import RelationClassifier
from stsn_allennlp.modules.span_representation import SpanEndpointRepresentation

STATE_DIM = 5


def _scorer(
    max_pairs_per_chunk: int,
) -> tuple[RelationScorer, SpanEndpointRepresentation, RelationClassifier]:
    torch.manual_seed(0)
    spans = SpanEndpointRepresentation(max_span_width=4, width_embedding_dim=3, pool_inside=True)
    classifier = RelationClassifier(
        spans.get_output_dim(STATE_DIM), STATE_DIM, num_relation_types=2, distance_embedding_dim=4
    )
    nn.init.normal_(classifier.bias)
    return (
        RelationScorer(spans, classifier, nn.Dropout(0.0), max_pairs_per_chunk),
        spans,
        classifier,
    )


# two sentences of 8 tokens; arguments repeat across pairs, and one pair's spans are adjacent
ARGUMENTS = CandidateSpans(
    torch.tensor([0, 0, 0, 1, 1]), torch.tensor([0, 2, 6, 1, 3]), torch.tensor([1, 2, 7, 1, 5])
)
PAIRS = CandidatePairs(
    torch.tensor([0, 0, 0, 1, 1]), torch.tensor([0, 2, 1, 3, 4]), torch.tensor([2, 0, 2, 4, 3])
)


def _concatenated_logits(
    states: torch.Tensor, spans: SpanEndpointRepresentation, classifier: RelationClassifier
) -> torch.Tensor:
    """The classifier's definition: one linear layer over [E_head; E_tail; C_r; D] per pair."""
    rows = []
    for sentence, head, tail in zip(*(tensor.tolist() for tensor in PAIRS)):
        head_span = (ARGUMENTS.starts[head].item(), ARGUMENTS.ends[head].item())
        tail_span = (ARGUMENTS.starts[tail].item(), ARGUMENTS.ends[tail].item())
        first, last = min(head_span[1], tail_span[1]) + 1, max(head_span[0], tail_span[0]) - 1
        context = (
            states[sentence, first : last + 1].max(dim=0).values
            if last >= first
            else states.new_zeros(STATE_DIM)
        )
        pair = classifier.pair_representation(
            context.unsqueeze(0), torch.tensor([max(last - first + 1, 0)])
        )
        arguments = [
            spans(states, torch.tensor([sentence]), torch.tensor([start]), torch.tensor([end]))
            for start, end in (head_span, tail_span)
        ]
        rows.append(classifier(torch.cat([*arguments, pair], dim=-1)))
    return torch.cat(rows)


def test_scores_are_the_classifier_over_each_pair_s_concatenated_representation():
    scorer, spans, classifier = _scorer(max_pairs_per_chunk=10)
    states = torch.randn(2, 8, STATE_DIM)
    [(positions, logits)] = list(scorer.chunks(states, ARGUMENTS, PAIRS))
    expected = _concatenated_logits(states, spans, classifier)
    assert positions.tolist() == [0, 1, 2, 3, 4]
    assert torch.allclose(logits, expected, atol=1e-5)
    assert expected.std() > 0.1  # pairs and types differ: the comparison is not vacuous


def test_chunks_cover_every_pair_once_in_order_with_the_same_scores():
    whole, *_ = _scorer(max_pairs_per_chunk=10)
    chunked, *_ = _scorer(max_pairs_per_chunk=2)
    states = torch.randn(2, 8, STATE_DIM)
    [(_, expected)] = list(whole.chunks(states, ARGUMENTS, PAIRS))
    chunks = list(chunked.chunks(states, ARGUMENTS, PAIRS))
    assert [positions.tolist() for positions, _ in chunks] == [[0, 1], [2, 3], [4]]
    assert torch.allclose(torch.cat([logits for _, logits in chunks]), expected, atol=1e-6)
