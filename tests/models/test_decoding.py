"""Per-sentence caps that bound inference whatever the model predicts."""

import torch

from stsn_allennlp.models.decoding import best_per_group, per_sentence_caps


def test_caps_scale_with_sentence_length_and_keep_at_least_one():
    assert per_sentence_caps(torch.tensor([0, 1, 5, 600]), 2.0).tolist() == [1, 2, 10, 1200]
    assert per_sentence_caps(torch.tensor([3]), 0.5).tolist() == [2]


def test_each_group_keeps_its_highest_scoring_items_in_their_order():
    groups = torch.tensor([0, 0, 0, 1, 1, 0])
    scores = torch.tensor([0.1, 0.9, 0.5, 0.3, 0.2, 0.7])
    keep = best_per_group(groups, scores, torch.tensor([2, 5]))
    assert keep.tolist() == [False, True, False, True, True, True]


def test_nothing_to_keep():
    empty = torch.zeros(0, dtype=torch.long)
    assert best_per_group(empty, torch.zeros(0), torch.tensor([3])).tolist() == []
