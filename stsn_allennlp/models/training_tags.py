"""Which BIO tags the decoders' label embeddings see in training."""

import torch


def training_tags(
    gold_tags: torch.Tensor, predicted_tags: torch.Tensor, gold_probability: float
) -> torch.Tensor:
    """
    Each token's gold tag with probability `gold_probability`, else the tagger's predicted tag.

    The paper embeds gold tags in training and predicted tags at inference; the span and relation
    classifiers then learn to copy tags that are exact in training and wrong at test time. Mixing in
    predicted tags (`gold_probability < 1`) shows them the tagger's real errors.

    # Parameters

    gold_tags : `torch.LongTensor`
        Shape `(batch_size, num_tokens)`.
    predicted_tags : `torch.LongTensor`
        The tagger's argmax tags, same shape.
    gold_probability : `float`
        In [0, 1]; `1.0` returns `gold_tags` and `0.0` returns `predicted_tags`, drawing no random
        number.
    """
    if gold_probability >= 1.0:
        return gold_tags
    if gold_probability <= 0.0:
        return predicted_tags
    use_gold = torch.rand(gold_tags.shape, device=gold_tags.device) < gold_probability
    return torch.where(use_gold, gold_tags, predicted_tags)
