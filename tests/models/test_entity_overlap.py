"""Decoding entities under a data set's overlap structure, by the rules of `stsn_allennlp.core.spans`."""

import pytest
import torch

from stsn_allennlp.core.spans import Span, keep_best
from stsn_allennlp.models.decoding import CandidateSpans
from stsn_allennlp.models.entity_overlap import keep_entities

# one sentence: (start, end inclusive, score)
#   0: tokens 0-1 (0.9)   1: tokens 1-2 (0.8, crosses 0)   2: tokens 0-3 (0.7, contains 0 and 1)
#   3: tokens 5-5 (0.6, alone)   4: tokens 0-0 (0.5, inside 0 and 2)
SPANS = [(0, 1, 0.9), (1, 2, 0.8), (0, 3, 0.7), (5, 5, 0.6), (0, 0, 0.5)]


def _keep(mode, spans=SPANS, batch=None):
    batch = torch.tensor(batch or [0] * len(spans))
    starts = torch.tensor([span[0] for span in spans])
    ends = torch.tensor([span[1] for span in spans])
    scores = torch.tensor([span[2] for span in spans])
    return keep_entities(CandidateSpans(batch, starts, ends), scores, mode).tolist()


@pytest.mark.parametrize(
    "mode, kept",
    [
        ("any", [True, True, True, True, True]),
        ("nested", [True, False, True, True, True]),
        ("two_fold", [True, True, False, True, True]),  # 4 is token 0's second entity once 2 is out
        ("none", [True, False, False, True, False]),
    ],
)
def test_each_mode_keeps_the_best_entities_its_structure_allows(mode, kept):
    assert _keep(mode) == kept


def test_the_best_entity_wins_whatever_the_order():
    # the lower-scoring twin comes first in text order and is dropped
    assert _keep("none", [(0, 2, 0.4), (0, 1, 0.9)]) == [False, True]


def test_sentences_are_decoded_independently():
    assert _keep("none", [(0, 1, 0.9), (0, 1, 0.8)], batch=[0, 1]) == [True, True]


def test_no_entities():
    empty = torch.zeros(0, dtype=torch.long)
    assert keep_entities(CandidateSpans(empty, empty, empty), torch.zeros(0), "none").tolist() == []


@pytest.mark.parametrize("mode", ["any", "nested", "two_fold", "none"])
def test_the_batched_decoding_is_the_cores_rule_per_sentence(mode):
    generator = torch.Generator().manual_seed(0)
    batch = torch.randint(0, 3, (40,), generator=generator).sort().values
    starts = torch.randint(0, 8, (40,), generator=generator)
    ends = starts + torch.randint(0, 4, (40,), generator=generator)
    scores = torch.rand(40, generator=generator)
    kept = keep_entities(CandidateSpans(batch, starts, ends), scores, mode).tolist()
    expected = []
    for sentence in range(3):
        indices = (batch == sentence).nonzero().flatten().tolist()
        spans = [Span.from_inclusive(starts[i].item(), ends[i].item()) for i in indices]
        expected += keep_best(spans, [scores[i].item() for i in indices], mode)
    assert kept == expected
    assert mode == "any" or not all(kept)  # the draw gives every strict mode something to drop
