import torch

from stsn_allennlp.core.word_shapes import WORD_SHAPES
from stsn_allennlp.modules.word_shape_embedder import WordShapeEmbedder


def test_each_shape_has_its_own_embedding_and_padding_is_zero():
    embedder = WordShapeEmbedder(embedding_dim=3)
    shapes = torch.arange(len(WORD_SHAPES) + 1).unsqueeze(0)
    embedded = embedder(shapes)
    assert embedded.shape == (1, len(WORD_SHAPES) + 1, embedder.get_output_dim())
    assert torch.equal(embedded[0, 0], torch.zeros(3))
    assert len({tuple(row.tolist()) for row in embedded[0, 1:]}) == len(WORD_SHAPES)
