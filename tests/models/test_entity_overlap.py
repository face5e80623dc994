"""Decoding entities under a data set's overlap structure."""

import pytest
import torch

from stsn_allennlp.models.decoding import CandidateSpans
from stsn_allennlp.models.entity_overlap import OVERLAP_MODES, keep_entities, overlap_structure

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


@pytest.mark.parametrize(
    "sentences, structure",
    [
        ([[(0, 1), (3, 4)], []], "none"),
        ([[(0, 1), (3, 4)], [(0, 3), (1, 2)]], "nested"),
        ([[(0, 1), (1, 2)]], "two_fold"),
        ([[(0, 3), (0, 1), (1, 2)]], "any"),
    ],
)
def test_overlap_structure_is_the_strictest_mode_the_gold_spans_fit(sentences, structure):
    assert overlap_structure(sentences) == structure
    spans = [span for sentence in sentences for span in sentence]
    if spans:  # decoding the gold spans under their own structure keeps every one of them
        batch = [index for index, sentence in enumerate(sentences) for _ in sentence]
        assert all(_keep(structure, [(*span, 0.5) for span in spans], batch))


def test_modes_are_the_documented_four():
    assert set(OVERLAP_MODES) == {"any", "nested", "two_fold", "none"}
