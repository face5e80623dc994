import pytest
import torch
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError
from allennlp.data import Batch, Instance, Token, Vocabulary
from allennlp.data.fields import TextField
from allennlp.data.token_indexers import PretrainedTransformerMismatchedIndexer
from allennlp.modules.token_embedders import TokenEmbedder

from stsn_allennlp.modules import MaxPoolingMismatchedEmbedder
from tests import TINY_BERT


def _batch(sentences, max_length=None):
    indexer = PretrainedTransformerMismatchedIndexer(str(TINY_BERT), max_length=max_length)
    instances = [
        Instance({"tokens": TextField([Token(word) for word in words], {"tokens": indexer})})
        for words in sentences
    ]
    batch = Batch(instances)
    batch.index_instances(Vocabulary())
    return batch.as_tensor_dict()["tokens"]["tokens"]


def test_words_are_the_max_of_their_word_pieces():
    tensors = _batch([["Acme", "Zebulonian", "."], ["Boston"]])
    embedder = MaxPoolingMismatchedEmbedder(str(TINY_BERT)).eval()
    with torch.no_grad():
        words = embedder(**tensors)
        pieces = embedder.word_piece_embedder(tensors["token_ids"], tensors["wordpiece_mask"])
    assert words.shape == (2, 3, embedder.get_output_dim())
    start, end = tensors["offsets"][0, 1].tolist()
    assert end > start  # "Zebulonian" is split into several pieces
    assert torch.allclose(words[0, 1], pieces[0, start : end + 1].max(dim=0).values)
    assert torch.equal(words[1, 1:], torch.zeros_like(words[1, 1:]))  # padding


def test_sentences_longer_than_the_transformer_limit_are_folded():
    long_sentence = ["Zebulonian"] * 300  # several pieces each: far beyond 64 word pieces
    tensors = _batch([long_sentence], max_length=64)
    embedder = MaxPoolingMismatchedEmbedder(str(TINY_BERT), max_length=64).eval()
    with torch.no_grad():
        words = embedder(**tensors)
    assert words.shape[:2] == (1, 300)
    assert torch.isfinite(words).all() and words.abs().sum(dim=-1).gt(0).all()


def test_other_pooling_modes_are_refused_not_ignored():
    params = {"type": "pretrained_transformer_mismatched_max", "model_name": str(TINY_BERT)}
    embedder = TokenEmbedder.from_params(Params(dict(params, max_length=64))).eval()
    with torch.no_grad():  # the parent's parameters still apply: 64 word pieces at a time
        words = embedder(**_batch([["Zebulonian"] * 300], max_length=64))
    assert words.shape[:2] == (1, 300)
    with pytest.raises(ConfigurationError, match="always max-pools"):
        TokenEmbedder.from_params(Params(dict(params, sub_token_mode="avg")))
