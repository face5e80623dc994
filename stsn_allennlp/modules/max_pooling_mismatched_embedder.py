"""A word-level transformer embedder that max-pools word pieces, as the paper does (§3.1)."""

import torch
from allennlp.common.checks import ConfigurationError
from allennlp.modules.token_embedders import (
    PretrainedTransformerEmbedder,
    PretrainedTransformerMismatchedEmbedder,
    TokenEmbedder,
)
from allennlp.nn import util

from stsn_allennlp.archive_encoder import resolve_encoder


@TokenEmbedder.register("pretrained_transformer_mismatched_max")
class MaxPoolingMismatchedEmbedder(PretrainedTransformerMismatchedEmbedder):
    """
    Embeds word pieces from a `PretrainedTransformerMismatchedIndexer` and max-pools each word's pieces
    into one vector; [CLS] and [SEP] are dropped. AllenNLP's own `pretrained_transformer_mismatched`
    embedder offers only the average or the first piece.

    Registered as a `TokenEmbedder` with name "pretrained_transformer_mismatched_max". It takes the
    parameters of `PretrainedTransformerMismatchedEmbedder` (`model_name`, `max_length`,
    `transformer_kwargs`, ...) except `sub_token_mode`. Words with no word piece (characters the
    tokenizer drops) get a zero vector.

    `serialization_dir` is AllenNLP's (not a config key): in training, a local `model_name`
    folder's configuration and tokenizer are copied there; a trained model builds its transformer
    from that copy without loading weights, as they are in the model's state
    (`stsn_allennlp.archive_encoder`).
    """

    def __init__(self, model_name: str, serialization_dir: str | None = None, **kwargs) -> None:
        if "sub_token_mode" in kwargs:
            raise ConfigurationError(
                "pretrained_transformer_mismatched_max always max-pools word pieces; use "
                "pretrained_transformer_mismatched for other sub_token_mode values"
            )
        model_name, archived = resolve_encoder(model_name, serialization_dir)
        if archived:
            kwargs["load_weights"] = False
        super().__init__(model_name, **kwargs)
        transformer = self._matched_embedder.transformer_model
        without_pooler = (kwargs.get("transformer_kwargs") or {}).get("add_pooling_layer") is False
        # without weights, AllenNLP builds the model from a config, to which the model's
        # `add_pooling_layer` means nothing: the pooler the trained model lacks is removed
        if archived and without_pooler and getattr(transformer, "pooler", None) is not None:
            transformer.pooler = None

    @property
    def word_piece_embedder(self) -> PretrainedTransformerEmbedder:
        """The embedder of word pieces; its `transformer_model` is the transformer."""
        return self._matched_embedder

    def forward(
        self,
        token_ids: torch.LongTensor,
        mask: torch.BoolTensor,
        offsets: torch.LongTensor,
        wordpiece_mask: torch.BoolTensor,
        type_ids: torch.LongTensor | None = None,
        segment_concat_mask: torch.BoolTensor | None = None,
    ) -> torch.Tensor:
        """
        # Parameters

        token_ids : `torch.LongTensor`
            Shape `(batch_size, num_wordpieces)`.
        mask : `torch.BoolTensor`
            Shape `(batch_size, num_words)`.
        offsets : `torch.LongTensor`
            Shape `(batch_size, num_words, 2)`: inclusive word-piece span of each word.
        wordpiece_mask : `torch.BoolTensor`
            Shape `(batch_size, num_wordpieces)`.
        type_ids : `torch.LongTensor`, optional
            Shape `(batch_size, num_wordpieces)`.
        segment_concat_mask : `torch.BoolTensor`, optional
            See `PretrainedTransformerEmbedder`.

        # Returns

        `torch.Tensor`
            Shape `(batch_size, num_words, embedding_size)`.
        """
        pieces = self._matched_embedder(
            token_ids, wordpiece_mask, type_ids=type_ids, segment_concat_mask=segment_concat_mask
        )
        word_pieces, piece_mask = util.batched_span_select(pieces.contiguous(), offsets)
        piece_mask = piece_mask.unsqueeze(-1)
        pooled = (
            word_pieces.masked_fill(~piece_mask, torch.finfo(pieces.dtype).min).max(dim=2).values
        )
        has_pieces = piece_mask.any(dim=2) & mask.unsqueeze(-1)
        return pooled.masked_fill(~has_pieces, 0.0)
