"""The STSN model (Ji et al., §3): transformer embeddings, stacked label attention, three decoders."""

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

import torch
import torch.nn.functional as F
from allennlp.common.checks import ConfigurationError, check_dimensions_match
from allennlp.data import TextFieldTensors, Vocabulary
from allennlp.models import Model
from allennlp.modules import Seq2SeqEncoder, TextFieldEmbedder
from allennlp.nn import InitializerApplicator, util
from torch import nn

from stsn_allennlp.data.fields import (
    BIO_NAMESPACE,
    ENTITY_NAMESPACE,
    NONE_ENTITY,
    OUTSIDE_TAG,
    RELATION_NAMESPACE,
)
from stsn_allennlp.metrics import JointExtractionMetric
from stsn_allennlp.models.decoder import Decoded, StsnDecoder
from stsn_allennlp.models.decoding import (
    CandidatePairs,
    CandidateSpans,
    group_entities,
    group_relations,
)
from stsn_allennlp.models.relation_scorer import RelationScorer
from stsn_allennlp.models.training_tags import training_tags
from stsn_allennlp.modules.label_attention import LabelAttentionStreams
from stsn_allennlp.modules.relation_classifier import RelationClassifier
from stsn_allennlp.modules.span_representation import SpanEndpointRepresentation
from stsn_allennlp.modules.stacked_label_attention import StackedLabelAttentionEncoder

logger = logging.getLogger(__name__)


@Model.register("stsn")
class Stsn(Model):
    """
    The Sequence Tagging enhanced Span-based Network for joint entity and relation extraction.

    Word-piece embeddings are max-pooled into words, the `stacked_label_attention` encoder turns them
    into a label stream H_L, an entity stream H_E and a relation stream H_R, and three decoders share
    them: a BIO tagger on H_L (softmax), a span classifier on [H_E; H_L'] (softmax over the entity
    types and `NoneEntity`) and a relation classifier on [H_R; H_L'] (sigmoid, multi-label). H_L' are
    embeddings of the token labels: gold labels while training, predicted labels otherwise. The loss
    is L_L + L_E + L_R.

    At inference every candidate span of the instance is classified and the `decoder`
    (`StsnDecoder`, built from the decoding parameters below) turns the scores into entities and
    relations; one `RelationScorer` scores the pairs of the loss and of inference alike. Padded
    spans and pairs never enter the computation, and relation pairs are scored in chunks of at most
    `max_pairs_per_chunk`, so predictions do not depend on the rest of the batch and memory stays
    bounded.

    Registered as a `Model` with name "stsn".

    # Parameters

    vocab : `Vocabulary`
        Holds the label namespaces `bio_labels`, `entity_labels` and `relation_labels`.
    text_field_embedder : `TextFieldEmbedder`
        Embeds the `tokens` field into words, usually with `pretrained_transformer_mismatched_max`.
    encoder : `Seq2SeqEncoder`
        A `stacked_label_attention` encoder (`StackedLabelAttentionEncoder`): it returns the three
        streams the decoders need, so no other `Seq2SeqEncoder` is accepted.
    label_embedding_dim : `int`, optional (default = `150`)
        The size of the token-label embeddings H_L'.
    use_label_embedding : `bool`, optional (default = `True`)
        `False` is the paper's "-LabelEmbedding" ablation: the decoders see no H_L'.
    width_embedding_dim : `int`, optional (default = `150`)
        The size of the span width embedding.
    pool_span_inside : `bool`, optional (default = `False`)
        Append the max-pool of a span's tokens to its representation (`SpanEndpointRepresentation`)
        for entities and relation arguments; `False`: endpoints and width only, as in the paper.
    max_span_width : `int`, optional (default = `10`)
        Widths with their own embedding; should equal the dataset reader's `max_span_width`.
    distance_embedding_dim : `int`, optional (default = `0`)
        The size of an embedding of the number of tokens between a pair's spans, added to the
        relation classifier's input (`RelationClassifier`); `0`: none, as in the paper.
    relation_threshold : `float`, optional (default = `0.4`)
        The paper's alpha: a relation type is predicted when its sigmoid score is at least this.
    restrict_argument_types : `bool`, optional (default = `False`)
        At inference, predict a relation type only between the (head, tail) entity types it joins
        in the training data: every gold relation trained on is counted by type and argument types,
        and the counts are kept in the archive. No effect while nothing has been counted (an
        untrained model, or one archived before the counts existed: a warning says so). Under
        distributed training the counts are those of the first worker's batches. `False`: any
        types, as in the paper.
    entity_overlap : `str`, optional (default = `"any"`)
        Which predicted entities may overlap, following the data set's structure (one of
        `stsn_allennlp.core.spans.OVERLAP_MODES`): `"any"` keeps every span classified as an entity (the
        paper); `"nested"` drops entities crossing a higher-scoring one (ACE05); `"two_fold"` keeps at
        most two entities on a token (full ADE); `"none"` keeps, per sentence, the highest-scoring
        entities that overlap no kept one (CoNLL04). Relations are formed among kept entities only.
    gold_tag_probability : `float`, optional (default = `1.0`)
        While training, the probability that a token's label embedding comes from its gold BIO tag;
        otherwise it comes from the tagger's own (argmax) prediction, as at inference. `1.0` is the
        paper (gold tags in training); lower values keep the span and relation classifiers from
        copying tags that are exact in training but predicted at test time.
    max_entities_per_word : `float`, optional (default = `2.0`)
        At inference, a sentence of n words keeps at most `ceil(max_entities_per_word * n)` entities
        (the highest-scoring) for pairing, so that memory and time stay bounded whatever the model
        predicts: pairs grow with the square of the entities. The densest gold sentence of CoNLL04
        and ADE holds 1 entity per word. A warning is logged when the cap binds.
    max_relations_per_word : `float`, optional (default = `2.0`)
        At inference, a sentence of n words returns at most `ceil(max_relations_per_word * n)`
        relations (the highest-scoring above the threshold); the densest gold sentence of CoNLL04
        and ADE holds 0.5 per word. A warning is logged when the cap binds.
    dropout : `float`, optional (default = `0.1`)
        Dropout on the representations fed to each decoder.
    max_pairs_per_chunk : `int`, optional (default = `10000`)
        The most span pairs whose relation scores are computed at once.
    symmetric_relation_types : `Sequence[str]`, optional (default = `()`)
        Relation types that the metric matches in either direction.
    initializer : `InitializerApplicator`, optional
        Initializes the model's parameters.
    """

    default_predictor = "stsn"
    # archives from before the argument type counts load with none counted
    authorized_missing_keys: ClassVar[list[str]] = [r"^_argument_type_counts$"]
    _argument_type_counts: torch.Tensor  # a buffer, registered in __init__

    def __init__(
        self,
        vocab: Vocabulary,
        text_field_embedder: TextFieldEmbedder,
        encoder: Seq2SeqEncoder,
        label_embedding_dim: int = 150,
        use_label_embedding: bool = True,
        width_embedding_dim: int = 150,
        pool_span_inside: bool = False,
        max_span_width: int = 10,
        distance_embedding_dim: int = 0,
        relation_threshold: float = 0.4,
        restrict_argument_types: bool = False,
        entity_overlap: str = "any",
        gold_tag_probability: float = 1.0,
        max_entities_per_word: float = 2.0,
        max_relations_per_word: float = 2.0,
        dropout: float = 0.1,
        max_pairs_per_chunk: int = 10000,
        symmetric_relation_types: Sequence[str] = (),
        initializer: InitializerApplicator = InitializerApplicator(),
        **kwargs,
    ) -> None:
        super().__init__(vocab, **kwargs)
        if not isinstance(encoder, StackedLabelAttentionEncoder):
            raise ConfigurationError(
                f"the stsn model needs a 'stacked_label_attention' encoder, which returns the label, "
                f"entity and relation streams; got {type(encoder).__name__}, which returns one tensor"
            )
        check_dimensions_match(
            text_field_embedder.get_output_dim(),
            encoder.get_input_dim(),
            "text field embedding dim",
            "encoder input dim",
        )
        vocab.add_token_to_namespace(OUTSIDE_TAG, BIO_NAMESPACE)
        vocab.add_token_to_namespace(NONE_ENTITY, ENTITY_NAMESPACE)
        num_tags = vocab.get_vocab_size(BIO_NAMESPACE)
        num_entity_types = vocab.get_vocab_size(ENTITY_NAMESPACE)
        self._num_relation_types = vocab.get_vocab_size(RELATION_NAMESPACE)

        self._text_field_embedder = text_field_embedder
        self._encoder = encoder
        self._dropout = nn.Dropout(dropout)
        if not 0.0 <= gold_tag_probability <= 1.0:
            raise ConfigurationError(
                f"gold_tag_probability must lie in [0, 1], got {gold_tag_probability}"
            )
        self._gold_tag_probability = gold_tag_probability
        self.decoder = StsnDecoder(
            vocab.get_token_index(NONE_ENTITY, ENTITY_NAMESPACE),
            entity_overlap,
            relation_threshold,
            max_entities_per_word,
            max_relations_per_word,
        )

        hidden_dim = encoder.get_output_dim()
        self._tagger = nn.Linear(hidden_dim, num_tags)
        self._label_embedding = (
            nn.Embedding(num_tags, label_embedding_dim) if use_label_embedding else None
        )
        state_dim = hidden_dim + (label_embedding_dim if use_label_embedding else 0)
        self._span_representation = SpanEndpointRepresentation(
            max_span_width, width_embedding_dim, pool_span_inside
        )
        span_dim = self._span_representation.get_output_dim(state_dim)
        self._span_classifier = nn.Linear(span_dim, num_entity_types)
        self._relation_classifier = RelationClassifier(
            span_dim, state_dim, self._num_relation_types, distance_embedding_dim
        )
        self._relation_scorer = RelationScorer(
            self._span_representation, self._relation_classifier, self._dropout, max_pairs_per_chunk
        )
        self.restrict_argument_types = restrict_argument_types
        self._warned_no_argument_types = False
        # Shape: (num_relation_types, num_entity_types, num_entity_types), gold relations trained on
        self.register_buffer(
            "_argument_type_counts",
            torch.zeros(
                self._num_relation_types, num_entity_types, num_entity_types, dtype=torch.long
            ),
        )

        self._metric = JointExtractionMetric(symmetric_relation_types=symmetric_relation_types)
        initializer(self)

    @property
    def text_field_embedder(self) -> TextFieldEmbedder:
        """The embedder of the `tokens` field (the transformer, pooled into words)."""
        return self._text_field_embedder

    @property
    def encoder(self) -> StackedLabelAttentionEncoder:
        """The stacked label attention encoder (its `num_layers`, `get_output_dim()`, ...)."""
        return self._encoder

    @property
    def label_embedding_dim(self) -> int:
        """The size of the label embeddings H_L'; `0` under the "-LabelEmbedding" ablation."""
        return 0 if self._label_embedding is None else self._label_embedding.embedding_dim

    @property
    def argument_type_counts(self) -> torch.Tensor:
        """The gold relations trained on by relation type and (head, tail) entity types, shape
        `(num_relation_types, num_entity_types, num_entity_types)`, indexed by the vocabulary's
        `relation_labels` and `entity_labels`; all zero for a model that counted none."""
        return self._argument_type_counts

    @property
    def width_embedding_dim(self) -> int:
        """The size of the span width embedding."""
        return self._span_representation.width_embedding.embedding_dim

    def forward(
        self,
        tokens: TextFieldTensors,
        spans: torch.Tensor,
        metadata: list[dict[str, Any]],
        bio_tags: torch.LongTensor | None = None,
        span_labels: torch.Tensor | None = None,
        relation_pairs: torch.Tensor | None = None,
        relation_labels: torch.Tensor | None = None,
    ) -> dict[str, Any]:
        """
        The fields are those of `stsn_allennlp.data.fields`.

        # Parameters

        tokens : `TextFieldTensors`
            Word tokens indexed for the transformer, with word-piece offsets.
        spans : `torch.LongTensor`
            Candidate spans, shape `(batch_size, num_spans, 2)`, end inclusive, padding `-1`.
        metadata : `List[Dict[str, Any]]`
            Per sentence: `tokens` and, with gold data, `gold_entities` and `gold_relations`.
        bio_tags : `torch.LongTensor`, optional
            Gold BIO tag ids, shape `(batch_size, num_tokens)`.
        span_labels : `torch.LongTensor`, optional
            Gold entity type ids of the candidate spans, shape `(batch_size, num_spans)`.
        relation_pairs : `torch.LongTensor`, optional
            Indices into `spans` of (head, tail) candidate pairs, shape `(batch_size, num_pairs, 2)`,
            padding `-1`.
        relation_labels : `torch.LongTensor`, optional
            Multi-hot gold relation types, shape `(batch_size, num_pairs, num_relation_types)`.

        # Returns

        An output dictionary with `loss` when gold labels are given and, outside training,
        per sentence: `tokens`, `bio_tags` (predicted), `entities` as `(start, end_exclusive, type,
        score)` and `relations` as `(head, tail, type, score)` with indices into `entities`.
        """
        # Shape: (batch_size, num_tokens)
        mask = util.get_text_field_mask(tokens)
        # Shape: (batch_size, num_tokens, hidden_dim), each stream
        streams: LabelAttentionStreams = self._encoder(self._text_field_embedder(tokens), mask)
        # Shape: (batch_size, num_tokens, num_tags)
        tag_logits = self._tagger(self._dropout(streams.labels))
        # Shape: (batch_size, num_tokens)
        tag_ids = tag_logits.argmax(dim=-1)
        if self.training and bio_tags is not None:
            tag_ids = training_tags(bio_tags, tag_ids, self._gold_tag_probability)
        # Shape: (batch_size, num_tokens, state_dim), each
        entity_states, relation_states = self._decoder_states(streams, tag_ids)

        # the real (unpadded) candidate spans, flat: sentence and position of each
        span_batch, span_index = (spans[..., 0] >= 0).nonzero(as_tuple=True)
        candidates = CandidateSpans(
            span_batch, spans[span_batch, span_index, 0], spans[span_batch, span_index, 1]
        )
        # Shape: (num_spans, num_entity_types)
        span_logits = self._span_classifier(
            self._dropout(self._span_representation(entity_states, *candidates))
        )

        output: dict[str, Any] = {}
        losses: list[torch.Tensor] = []
        if bio_tags is not None:
            losses.append(
                util.sequence_cross_entropy_with_logits(tag_logits, bio_tags, mask, average="token")
            )
        if span_labels is not None:
            losses.append(F.cross_entropy(span_logits, span_labels[span_batch, span_index]))
        if (
            relation_pairs is not None
            and relation_labels is not None
            and self._num_relation_types > 0
        ):
            losses.append(
                self._relation_loss(relation_states, spans, relation_pairs, relation_labels)
            )
            if self.training and span_labels is not None:
                self._count_argument_types(relation_pairs, relation_labels, span_labels)
        if losses:
            output["loss"] = sum(losses)

        if not self.training:
            # Shape: (batch_size,)
            lengths = mask.sum(dim=-1)
            decoded = self.decoder.decode(
                candidates,
                span_logits,
                lengths,
                self._relation_scorer,
                relation_states,
                self._allowed_argument_types(),
            )
            output.update(self._readable(metadata, lengths, tag_ids, decoded))
            if bio_tags is not None:
                self._metric(
                    [[entity[:3] for entity in sentence] for sentence in output["entities"]],
                    [[relation[:3] for relation in sentence] for sentence in output["relations"]],
                    [meta["gold_entities"] for meta in metadata],
                    [meta["gold_relations"] for meta in metadata],
                )
        return output

    def _decoder_states(
        self, streams: LabelAttentionStreams, tag_ids: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """[H_E; H_L'] and [H_R; H_L'], or H_E and H_R without label embeddings."""
        if self._label_embedding is None:
            return streams.entities, streams.relations
        # Shape: (batch_size, num_tokens, label_embedding_dim)
        label_embeddings = self._label_embedding(tag_ids)
        return (
            torch.cat([streams.entities, label_embeddings], dim=-1),
            torch.cat([streams.relations, label_embeddings], dim=-1),
        )

    def _relation_loss(
        self,
        relation_states: torch.Tensor,
        spans: torch.Tensor,
        relation_pairs: torch.Tensor,
        relation_labels: torch.Tensor,
    ) -> torch.Tensor:
        """Binary cross-entropy over the gold and sampled negative pairs, averaged over pairs and
        types."""
        pair_batch, pair_index = (relation_pairs[..., 0] >= 0).nonzero(as_tuple=True)
        if pair_batch.numel() == 0:
            return relation_states.sum() * 0.0
        # Shape: (num_pairs, 2), indices into each sentence's spans
        pairs = relation_pairs[pair_batch, pair_index]
        # Shape: (num_pairs, 2), each, inclusive token spans
        heads, tails = spans[pair_batch, pairs[:, 0]], spans[pair_batch, pairs[:, 1]]
        # the arguments: every pair's head, then every pair's tail
        arguments = CandidateSpans(
            torch.cat([pair_batch, pair_batch]),
            torch.cat([heads[:, 0], tails[:, 0]]),
            torch.cat([heads[:, 1], tails[:, 1]]),
        )
        positions = torch.arange(pair_batch.size(0), device=pair_batch.device)
        logits = [
            chunk_logits
            for _, chunk_logits in self._relation_scorer.chunks(
                relation_states,
                arguments,
                CandidatePairs(pair_batch, positions, positions + pair_batch.size(0)),
            )
        ]
        targets = relation_labels[pair_batch, pair_index].float()
        return F.binary_cross_entropy_with_logits(torch.cat(logits), targets)

    @torch.no_grad()
    def _count_argument_types(
        self,
        relation_pairs: torch.Tensor,
        relation_labels: torch.Tensor,
        span_labels: torch.Tensor,
    ) -> None:
        """Adds the batch's gold relations to the counts by type and (head, tail) entity types."""
        pair_batch, pair_index = (relation_pairs[..., 0] >= 0).nonzero(as_tuple=True)
        # Shape: (num_pairs, 2), indices into each sentence's spans
        pairs = relation_pairs[pair_batch, pair_index]
        rows, types = relation_labels[pair_batch, pair_index].nonzero(as_tuple=True)
        heads = span_labels[pair_batch[rows], pairs[rows, 0]]
        tails = span_labels[pair_batch[rows], pairs[rows, 1]]
        self._argument_type_counts.index_put_(
            (types, heads, tails), torch.ones_like(types), accumulate=True
        )

    def _allowed_argument_types(self) -> torch.Tensor | None:
        """The argument types each relation type was trained on, shape `(num_relation_types,
        num_entity_types, num_entity_types)`, under `restrict_argument_types`; else `None`."""
        if not self.restrict_argument_types:
            return None
        if not self._argument_type_counts.any():
            if not self._warned_no_argument_types:
                logger.warning(
                    "restrict_argument_types is set but this model counted no argument types "
                    "(untrained, or archived before they were counted): relations may join any "
                    "entity types"
                )
                self._warned_no_argument_types = True
            return None
        return self._argument_type_counts > 0

    def _readable(
        self,
        metadata: list[dict[str, Any]],
        lengths: torch.Tensor,
        tag_ids: torch.Tensor,
        decoded: Decoded,
    ) -> dict[str, Any]:
        """Per sentence: its tokens, predicted tags, entities and relations."""
        batch_size = len(metadata)
        entity_labels = self.vocab.get_index_to_token_vocabulary(ENTITY_NAMESPACE)
        relation_labels = self.vocab.get_index_to_token_vocabulary(RELATION_NAMESPACE)
        tag_labels = self.vocab.get_index_to_token_vocabulary(BIO_NAMESPACE)
        tag_lists = tag_ids.tolist()
        return {
            "tokens": [meta["tokens"] for meta in metadata],
            "bio_tags": [
                [tag_labels[tag] for tag in tags[:length]]
                for tags, length in zip(tag_lists, lengths.tolist())
            ],
            "entities": group_entities(decoded.entities, batch_size, entity_labels),
            "relations": group_relations(*decoded, batch_size, relation_labels),
        }

    def make_output_human_readable(self, output_dict: dict[str, Any]) -> dict[str, Any]:
        """
        Turns each sentence's entity and relation tuples into dictionaries: entities as
        `{"type", "start", "end" (exclusive), "text", "score"}` and relations as
        `{"type", "head", "tail", "score"}` with `head` and `tail` indexing the entity list.
        """
        output_dict["entities"] = [
            [
                {
                    "type": label,
                    "start": start,
                    "end": end,
                    "text": " ".join(tokens[start:end]),
                    "score": score,
                }
                for start, end, label, score in sentence_entities
            ]
            for tokens, sentence_entities in zip(output_dict["tokens"], output_dict["entities"])
        ]
        output_dict["relations"] = [
            [
                {"type": label, "head": head, "tail": tail, "score": score}
                for head, tail, label, score in sentence_relations
            ]
            for sentence_relations in output_dict["relations"]
        ]
        return output_dict

    def get_metrics(self, reset: bool = False) -> dict[str, float]:
        """
        The joint NER / RE / RE+ scores of `JointExtractionMetric`, reported outside training (the
        model decodes nothing while training, so there is nothing to score or to gather across
        workers after each training batch).
        """
        if self.training:
            if reset:
                self._metric.reset()
            return {}
        return self._metric.get_metric(reset)
