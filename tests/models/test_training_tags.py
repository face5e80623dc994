"""The tags whose embeddings the decoders see in training."""

import torch

from stsn_allennlp.models.training_tags import training_tags

GOLD = torch.zeros(4, 50, dtype=torch.long)
PREDICTED = torch.ones(4, 50, dtype=torch.long)


def test_probability_one_is_the_papers_gold_tags():
    assert torch.equal(training_tags(GOLD, PREDICTED, 1.0), GOLD)


def test_probability_zero_gives_the_predicted_tags():
    assert torch.equal(training_tags(GOLD, PREDICTED, 0.0), PREDICTED)


def test_a_mix_takes_each_token_from_one_of_them_at_about_the_rate():
    torch.manual_seed(0)
    mixed = training_tags(GOLD, PREDICTED, 0.5)
    gold_share = (mixed == 0).float().mean().item()
    assert ((mixed == 0) | (mixed == 1)).all()
    assert 0.35 < gold_share < 0.65  # 200 tokens; fails only if nearly all come from one side
