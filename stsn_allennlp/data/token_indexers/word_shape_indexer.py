"""Word shapes (`stsn_allennlp.core.word_shapes`) as a token indexer, for an uncased encoder."""

from collections.abc import Iterable

from allennlp.data import Token, TokenIndexer, Vocabulary
from allennlp.data.token_indexers.token_indexer import IndexedTokenList

from stsn_allennlp.core.word_shapes import word_shape

WORD_SHAPE_IDS = "shapes"
"""The key of the indexed list (what `WordShapeEmbedder.forward` takes)."""


@TokenIndexer.register("stsn_word_shape")
class WordShapeIndexer(TokenIndexer):
    """
    Indexes each word by its shape, `word_shape(text) + 1` (0 is padding), under the key
    `"shapes"`. The ids are fixed, so no vocabulary is counted. `WordShapeEmbedder` embeds them.

    Registered as a `TokenIndexer` with name "stsn_word_shape".
    """

    def count_vocab_items(self, token: Token, counter: dict[str, dict[str, int]]) -> None:
        pass

    def tokens_to_indices(
        self, tokens: Iterable[Token], vocabulary: Vocabulary
    ) -> IndexedTokenList:
        return {WORD_SHAPE_IDS: [word_shape(token.text or "") + 1 for token in tokens]}

    def get_empty_token_list(self) -> IndexedTokenList:
        return {WORD_SHAPE_IDS: []}
