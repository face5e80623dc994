"""The decoding policy: overlap mode, threshold and caps over a batch's scores."""

import pytest
import torch
from allennlp.common.checks import ConfigurationError
from torch import nn

from stsn_allennlp.models.decoder import StsnDecoder
from stsn_allennlp.models.decoding import CandidateSpans
from stsn_allennlp.models.fixed_decisions import FixedDecisionDecoder
from stsn_allennlp.models.relation_scorer import RelationScorer
from stsn_allennlp.modules.relation_classifier import RelationClassifier
from stsn_allennlp.modules.span_representation import SpanEndpointRepresentation

NONE, ENTITY = 0, 1
STATE_DIM = 4
# one sentence of 4 words; (1, 1) lies inside (0, 1), (3, 3) is no entity
CANDIDATES = CandidateSpans(
    torch.zeros(4, dtype=torch.long), torch.tensor([2, 1, 0, 3]), torch.tensor([3, 1, 1, 3])
)
SPAN_LOGITS = torch.tensor([[0.0, 2.0], [0.0, 1.0], [0.0, 3.0], [2.0, 0.0]])


def _decode(decoder: StsnDecoder, allowed_argument_types: torch.Tensor | None = None):
    torch.manual_seed(0)
    spans = SpanEndpointRepresentation(max_span_width=4, width_embedding_dim=2)
    classifier = RelationClassifier(spans.get_output_dim(STATE_DIM), STATE_DIM, 1)
    scorer = RelationScorer(spans, classifier, nn.Dropout(0.0), max_pairs_per_chunk=2)
    states = torch.randn(1, 4, STATE_DIM)
    return decoder.decode(
        CANDIDATES, SPAN_LOGITS, torch.tensor([4]), scorer, states, allowed_argument_types
    )


def _spans(decoded) -> list[tuple[int, int]]:
    spans = decoded.entities.spans
    return list(zip(spans.starts.tolist(), spans.ends.tolist()))


@pytest.mark.parametrize(
    ("mode", "kept"),
    [
        ("any", [(0, 1), (1, 1), (2, 3)]),
        ("nested", [(0, 1), (1, 1), (2, 3)]),
        ("none", [(0, 1), (2, 3)]),
    ],
)
def test_entities_follow_the_overlap_mode_in_text_order(mode, kept):
    assert _spans(_decode(StsnDecoder(NONE, entity_overlap=mode))) == kept


def test_the_entity_cap_keeps_the_highest_scoring():
    # ceil(0.5 x 4 words) = 2 entities: (0, 1) and (2, 3) outscore (1, 1)
    assert _spans(_decode(StsnDecoder(NONE, max_entities_per_word=0.5))) == [(0, 1), (2, 3)]


def test_relations_reach_the_threshold_and_stay_under_the_cap():
    always = FixedDecisionDecoder(StsnDecoder(NONE), relations=torch.ones_like)
    decoded = _decode(always)
    assert decoded.pairs.heads.numel() == 6  # the ordered pairs of 3 entities
    assert decoded.relations.pairs.tolist() == list(range(6))
    capped = FixedDecisionDecoder(
        StsnDecoder(NONE, max_relations_per_word=1.0), relations=torch.ones_like
    )
    assert _decode(capped).relations.pairs.numel() == 4  # ceil(1.0 x 4 words)
    never = FixedDecisionDecoder(StsnDecoder(NONE), relations=torch.zeros_like)
    assert _decode(never).relations.pairs.numel() == 0


def test_relations_join_only_the_allowed_argument_types():
    always = FixedDecisionDecoder(StsnDecoder(NONE), relations=torch.ones_like)
    # one relation type; every entity has type ENTITY
    allowed = torch.zeros(1, 2, 2, dtype=torch.bool)
    assert _decode(always, allowed).relations.pairs.numel() == 0
    allowed[0, ENTITY, ENTITY] = True
    assert _decode(always, allowed).relations.pairs.tolist() == list(range(6))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"entity_overlap": "crossing"}, "entity_overlap must be one of"),
        ({"max_entities_per_word": 0.0}, "max_entities_per_word must be positive"),
        ({"max_relations_per_word": -1.0}, "max_relations_per_word must be positive"),
    ],
)
def test_a_policy_outside_its_range_is_a_configuration_error(settings, message):
    with pytest.raises(ConfigurationError, match=message):
        StsnDecoder(NONE, **settings)
