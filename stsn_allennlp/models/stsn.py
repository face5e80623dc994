"""The STSN model (Ji et al., §3): transformer embeddings, stacked label attention, three decoders."""

import logging
from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from allennlp.common.checks import ConfigurationError, check_dimensions_match
from allennlp.data import TextFieldTensors, Vocabulary
from allennlp.models import Model
from allennlp.modules import Seq2SeqEncoder, TextFieldEmbedder
from allennlp.nn import InitializerApplicator, util
from torch import nn

from stsn_allennlp.core.spans import OVERLAP_MODES
from stsn_allennlp.data.fields import (
    BIO_NAMESPACE,
    ENTITY_NAMESPACE,
    NONE_ENTITY,
    OUTSIDE_TAG,
    RELATION_NAMESPACE,
)
from stsn_allennlp.metrics import JointExtractionMetric
from stsn_allennlp.models.decoding import (
    CandidatePairs,
    CandidateSpans,
    PredictedEntities,
    SelectedRelations,
    best_per_group,
    candidate_pairs,
    group_entities,
    group_relations,
    per_sentence_caps,
)
from stsn_allennlp.models.entity_overlap import keep_entities
from stsn_allennlp.models.training_tags import training_tags
from stsn_allennlp.modules.label_attention import LabelAttentionStreams
from stsn_allennlp.modules.relation_classifier import RelationClassifier
from stsn_allennlp.modules.span_representation import (
    RangeMaxPooler,
    SpanEndpointRepresentation,
    relation_context_bounds,
)
from stsn_allennlp.modules.stacked_label_attention import StackedLabelAttentionEncoder

logger = logging.getLogger(__name__)

EntityDecision = Callable[[CandidateSpans, torch.Tensor], torch.Tensor]
"""Replaces the span logits of a batch's candidate spans, shape `(num_spans, num_entity_types)`."""

RelationDecision = Callable[[torch.Tensor], torch.Tensor]
"""Replaces the relation probabilities of a chunk of pairs, shape `(num_pairs, num_relation_types)`."""


def _warn_if_capped(dropped: int, items: str, parameter: str, value: float) -> None:
    if dropped:
        logger.warning(
            "%d predicted %s above the per-sentence cap were dropped (%s = %s); a model predicting "
            "this many is likely under-trained or out of its domain",
            dropped,
            items,
            parameter,
            value,
        )


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

    At inference every candidate span of the instance is classified, pairs are formed among the
    predicted entities of each sentence, and relation types scoring at least `relation_threshold` are
    returned. Padded spans and pairs never enter the computation, and relation pairs are scored in
    chunks of at most `max_pairs_per_chunk`, so predictions do not depend on the rest of the batch and
    memory stays bounded.

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
        self._none_entity_index = vocab.get_token_index(NONE_ENTITY, ENTITY_NAMESPACE)
        num_tags = vocab.get_vocab_size(BIO_NAMESPACE)
        num_entity_types = vocab.get_vocab_size(ENTITY_NAMESPACE)
        self._num_relation_types = vocab.get_vocab_size(RELATION_NAMESPACE)

        self._text_field_embedder = text_field_embedder
        self._encoder = encoder
        self._dropout = nn.Dropout(dropout)
        self._relation_threshold = relation_threshold
        if entity_overlap not in OVERLAP_MODES:
            raise ConfigurationError(
                f"entity_overlap must be one of {sorted(OVERLAP_MODES)}, got {entity_overlap!r}"
            )
        self._entity_overlap = entity_overlap
        if not 0.0 <= gold_tag_probability <= 1.0:
            raise ConfigurationError(
                f"gold_tag_probability must lie in [0, 1], got {gold_tag_probability}"
            )
        self._gold_tag_probability = gold_tag_probability
        self._max_pairs_per_chunk = max_pairs_per_chunk
        for name, value in (
            ("max_entities_per_word", max_entities_per_word),
            ("max_relations_per_word", max_relations_per_word),
        ):
            if value <= 0:
                raise ConfigurationError(f"{name} must be positive, got {value}")
        self._max_entities_per_word = max_entities_per_word
        self._max_relations_per_word = max_relations_per_word

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
        self._entity_decision: EntityDecision | None = None
        self._relation_decision: RelationDecision | None = None

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
    def width_embedding_dim(self) -> int:
        """The size of the span width embedding."""
        return self._span_representation.width_embedding.embedding_dim

    def override_decisions(
        self,
        entities: EntityDecision | None = None,
        relations: RelationDecision | None = None,
    ) -> None:
        """
        Fixes what inference decides, for benchmarks and tests that need a known number of entities
        and relations whatever the weights: the classifiers still run, so costs stay the model's,
        and only their outputs are replaced before decoding. Training is unaffected. A call replaces
        both overrides; `override_decisions()` restores the model's own decisions.

        # Parameters

        entities : `EntityDecision`, optional (default = `None`)
            Called with a batch's `CandidateSpans` and their span logits, shape
            `(num_spans, num_entity_types)`; returns the logits to decode (argmax, softmax score).
        relations : `RelationDecision`, optional (default = `None`)
            Called with the relation probabilities of a chunk of candidate pairs, shape
            `(num_pairs, num_relation_types)`; returns the probabilities to threshold.
        """
        self._entity_decision = entities
        self._relation_decision = relations

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
        if losses:
            output["loss"] = sum(losses)

        if not self.training:
            if self._entity_decision is not None:
                span_logits = self._entity_decision(candidates, span_logits)
            output.update(
                self._predict(metadata, mask, tag_ids, relation_states, candidates, span_logits)
            )
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
        """
        Binary cross-entropy over the gold and sampled negative pairs, averaged over pairs and types.
        Pair representations are built in chunks of `max_pairs_per_chunk` pairs.
        """
        pair_batch, pair_index = (relation_pairs[..., 0] >= 0).nonzero(as_tuple=True)
        if pair_batch.numel() == 0:
            return relation_states.sum() * 0.0
        # Shape: (num_pairs, 2), indices into each sentence's spans
        pairs = relation_pairs[pair_batch, pair_index]
        # Shape: (num_pairs, 2), inclusive token spans
        heads, tails = spans[pair_batch, pairs[:, 0]], spans[pair_batch, pairs[:, 1]]
        pooler = RangeMaxPooler(relation_states)
        chunks = []
        for chunk in torch.split(torch.arange(pair_batch.size(0)), self._max_pairs_per_chunk):
            batch, head, tail = pair_batch[chunk], heads[chunk], tails[chunk]
            # Shape: (chunk_size, 2 * span_dim + pair_dim)
            representation = torch.cat(
                [
                    self._span_representation(
                        relation_states, batch, head[:, 0], head[:, 1], pooler
                    ),
                    self._span_representation(
                        relation_states, batch, tail[:, 0], tail[:, 1], pooler
                    ),
                    self._pair_representation(
                        pooler, batch, head[:, 0], head[:, 1], tail[:, 0], tail[:, 1]
                    ),
                ],
                dim=-1,
            )
            chunks.append(self._relation_classifier(self._dropout(representation)))
        targets = relation_labels[pair_batch, pair_index].float()
        return F.binary_cross_entropy_with_logits(torch.cat(chunks), targets)

    def _pair_representation(
        self,
        pooler: RangeMaxPooler,
        batch: torch.Tensor,
        head_starts: torch.Tensor,
        head_ends: torch.Tensor,
        tail_starts: torch.Tensor,
        tail_ends: torch.Tensor,
    ) -> torch.Tensor:
        """
        What the relation classifier sees of a pair beyond its two spans, for training and
        inference alike: the max-pooled context C_r between the spans (inclusive ends), and the
        distance embedding when the classifier has one. Shape `(num_pairs, pair_dim)`.
        """
        context_starts, context_ends = relation_context_bounds(
            head_starts, head_ends, tail_starts, tail_ends
        )
        distances = (context_ends - context_starts + 1).clamp(min=0)
        return self._relation_classifier.pair_representation(
            pooler(batch, context_starts, context_ends), distances
        )

    def _select_relations(
        self,
        relation_states: torch.Tensor,
        entities: PredictedEntities,
        pairs: CandidatePairs,
        caps: torch.Tensor,
    ) -> tuple[SelectedRelations, int]:
        """
        The relations predicted at inference among the candidate pairs: every (pair, type) scoring
        at least `relation_threshold`, at most `caps[sentence]` per sentence (the highest-scoring).

        Each entity's head and tail parts of the relation classifier are computed once, and pairs
        are scored in chunks of `max_pairs_per_chunk` that keep only their selected relations:
        memory stays bounded by the chunk and the caps however many pairs there are.

        # Returns

        The selected relations in pair order, and how many above the threshold the caps dropped.
        """
        empty = pairs.batch.new_zeros(0)
        selected = SelectedRelations(empty, empty, relation_states.new_zeros(0))
        if pairs.batch.numel() == 0 or self._num_relation_types == 0:
            return selected, 0
        spans = entities.spans
        pooler = RangeMaxPooler(relation_states)
        # Shape: (num_entities, num_relation_types), each
        head_part, tail_part = self._relation_classifier.argument_parts(
            self._span_representation(relation_states, *spans, pooler)
        )
        dropped = 0
        for chunk in torch.split(torch.arange(pairs.batch.size(0)), self._max_pairs_per_chunk):
            head, tail = pairs.heads[chunk], pairs.tails[chunk]
            # Shape: (chunk_size, pair_dim)
            pair = self._pair_representation(
                pooler,
                pairs.batch[chunk],
                spans.starts[head],
                spans.ends[head],
                spans.starts[tail],
                spans.ends[tail],
            )
            # Shape: (chunk_size, num_relation_types)
            probabilities = torch.sigmoid(
                head_part[head] + tail_part[tail] + self._relation_classifier.pair_part(pair)
            )
            if self._relation_decision is not None:
                probabilities = self._relation_decision(probabilities)
            rows, types = (probabilities >= self._relation_threshold).nonzero(as_tuple=True)
            candidates = SelectedRelations(
                torch.cat([selected.pairs, chunk[rows]]),
                torch.cat([selected.types, types]),
                torch.cat([selected.scores, probabilities[rows, types]]),
            )
            keep = best_per_group(pairs.batch[candidates.pairs], candidates.scores, caps)
            dropped += int(keep.numel() - keep.sum())
            selected = SelectedRelations(*(tensor[keep] for tensor in candidates))
        return selected, dropped

    def _predict(
        self,
        metadata: list[dict[str, Any]],
        mask: torch.Tensor,
        tag_ids: torch.Tensor,
        relation_states: torch.Tensor,
        candidates: CandidateSpans,
        span_logits: torch.Tensor,
    ) -> dict[str, Any]:
        """Decodes tags, entities and relations of every sentence of the batch."""
        batch_size = len(metadata)
        # Shape: (num_spans,), each
        scores, types = span_logits.softmax(dim=-1).max(dim=-1)
        # entities of each sentence in text order: by sentence, start, end
        num_tokens = mask.size(1) + 1
        position = (
            candidates.batch * num_tokens + candidates.starts
        ) * num_tokens + candidates.ends
        is_entity = (types != self._none_entity_index).nonzero(as_tuple=True)[0]
        is_entity = is_entity[torch.argsort(position[is_entity])]
        is_entity = is_entity[
            keep_entities(candidates.select(is_entity), scores[is_entity], self._entity_overlap)
        ]
        # Shape: (batch_size,)
        lengths = mask.sum(dim=-1)
        within_cap = best_per_group(
            candidates.batch[is_entity],
            scores[is_entity],
            per_sentence_caps(lengths, self._max_entities_per_word),
        )
        _warn_if_capped(
            int((~within_cap).sum()),
            "entities",
            "max_entities_per_word",
            self._max_entities_per_word,
        )
        is_entity = is_entity[within_cap]
        entities = PredictedEntities(
            candidates.select(is_entity), types[is_entity], scores[is_entity]
        )
        pairs = candidate_pairs(entities.spans.batch, batch_size)
        selected, dropped = self._select_relations(
            relation_states,
            entities,
            pairs,
            per_sentence_caps(lengths, self._max_relations_per_word),
        )
        _warn_if_capped(
            dropped, "relations", "max_relations_per_word", self._max_relations_per_word
        )

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
            "entities": group_entities(entities, batch_size, entity_labels),
            "relations": group_relations(entities, pairs, selected, batch_size, relation_labels),
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
