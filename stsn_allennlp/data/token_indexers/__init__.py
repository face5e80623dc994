from stsn_allennlp.data.token_indexers.word_shape_indexer import WordShapeIndexer

__all__ = ["WordShapeIndexer"]
