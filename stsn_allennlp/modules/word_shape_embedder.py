"""An embedding of word shapes (`stsn_allennlp.data.token_indexers.WordShapeIndexer`)."""

import torch
from allennlp.modules.token_embedders import TokenEmbedder
from torch import nn

from stsn_allennlp.core.word_shapes import WORD_SHAPES


@TokenEmbedder.register("stsn_word_shape")
class WordShapeEmbedder(TokenEmbedder):
    """
    Embeds the ids of a `stsn_word_shape` indexer (`WORD_SHAPES`, plus 0 for padding, whose
    embedding is zero). In a text field embedder beside the transformer's, the two are
    concatenated: an uncased encoder's words regain their capitalisation.

    Registered as a `TokenEmbedder` with name "stsn_word_shape".

    # Parameters

    embedding_dim : `int`
        The size of a shape's embedding.
    """

    def __init__(self, embedding_dim: int) -> None:
        super().__init__()
        self.embedding = nn.Embedding(len(WORD_SHAPES) + 1, embedding_dim, padding_idx=0)

    def get_output_dim(self) -> int:
        return self.embedding.embedding_dim

    def forward(self, shapes: torch.LongTensor) -> torch.Tensor:
        """
        # Parameters

        shapes : `torch.LongTensor`
            Shape `(batch_size, num_words)`.

        # Returns

        `torch.Tensor`
            Shape `(batch_size, num_words, embedding_dim)`.
        """
        return self.embedding(shapes)
