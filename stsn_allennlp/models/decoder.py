"""STSN's decoding policy at inference: span and pair scores into entities and relations."""

import logging
from typing import NamedTuple

import torch
from allennlp.common.checks import ConfigurationError

from stsn_allennlp.core.spans import OVERLAP_MODES
from stsn_allennlp.models.decoding import (
    CandidatePairs,
    CandidateSpans,
    PredictedEntities,
    SelectedRelations,
    best_per_group,
    candidate_pairs,
    per_sentence_caps,
)
from stsn_allennlp.models.entity_overlap import keep_entities
from stsn_allennlp.models.relation_scorer import RelationScorer

logger = logging.getLogger(__name__)


class Decoded(NamedTuple):
    """A batch's predictions, flat: the entities, the candidate pairs among them and the
    relations selected from those pairs."""

    entities: PredictedEntities
    pairs: CandidatePairs
    relations: SelectedRelations


class StsnDecoder:
    """
    Decodes a batch: every candidate span whose most probable type is not `NoneEntity` is an
    entity, kept when it respects the data set's overlap structure (`entity_overlap`) and the
    per-sentence entity cap; every ordered pair of a sentence's kept entities is scored, and each
    relation type whose sigmoid probability reaches `relation_threshold` is predicted, up to the
    per-sentence relation cap (the highest-scoring), and, given `allowed_argument_types`, only
    between the entity types that the relation type may join. The caps bound memory and time
    whatever the model predicts, and a warning is logged when one binds.

    `entity_probabilities` and `relation_probabilities` turn the classifiers' logits into the
    probabilities decoded: a subclass replaces them to fix the decisions (`FixedDecisionDecoder`).

    # Parameters

    none_entity_index : `int`
        The index of `NoneEntity` among the entity types.
    entity_overlap : `str`, optional (default = `"any"`)
        One of `stsn_allennlp.core.spans.OVERLAP_MODES` (see `Stsn`).
    relation_threshold : `float`, optional (default = `0.4`)
        The paper's alpha.
    max_entities_per_word : `float`, optional (default = `2.0`)
        A sentence of n words keeps at most `ceil(max_entities_per_word * n)` entities.
    max_relations_per_word : `float`, optional (default = `2.0`)
        A sentence of n words returns at most `ceil(max_relations_per_word * n)` relations.
    """

    def __init__(
        self,
        none_entity_index: int,
        entity_overlap: str = "any",
        relation_threshold: float = 0.4,
        max_entities_per_word: float = 2.0,
        max_relations_per_word: float = 2.0,
    ) -> None:
        if entity_overlap not in OVERLAP_MODES:
            raise ConfigurationError(
                f"entity_overlap must be one of {sorted(OVERLAP_MODES)}, got {entity_overlap!r}"
            )
        for name, value in (
            ("max_entities_per_word", max_entities_per_word),
            ("max_relations_per_word", max_relations_per_word),
        ):
            if value <= 0:
                raise ConfigurationError(f"{name} must be positive, got {value}")
        self.none_entity_index = none_entity_index
        self.entity_overlap = entity_overlap
        self.relation_threshold = relation_threshold
        self.max_entities_per_word = max_entities_per_word
        self.max_relations_per_word = max_relations_per_word

    def entity_probabilities(
        self, candidates: CandidateSpans, span_logits: torch.Tensor
    ) -> torch.Tensor:
        """The entity type probabilities of the candidate spans, shape `(num_spans,
        num_entity_types)`, from their logits of the same shape."""
        return span_logits.softmax(dim=-1)

    def relation_probabilities(self, logits: torch.Tensor) -> torch.Tensor:
        """The relation type probabilities of a chunk of pairs, shape `(num_pairs,
        num_relation_types)`, from their logits of the same shape."""
        return torch.sigmoid(logits)

    def decode(
        self,
        candidates: CandidateSpans,
        span_logits: torch.Tensor,
        lengths: torch.Tensor,
        scorer: RelationScorer,
        relation_states: torch.Tensor,
        allowed_argument_types: torch.Tensor | None = None,
    ) -> Decoded:
        """
        # Parameters

        candidates : `CandidateSpans`
            The batch's candidate spans, ordered by sentence.
        span_logits : `torch.Tensor`
            Their entity type logits, shape `(num_spans, num_entity_types)`.
        lengths : `torch.LongTensor`
            Words per sentence, shape `(batch_size,)`.
        scorer : `RelationScorer`
            Scores the pairs of predicted entities.
        relation_states : `torch.Tensor`
            The relation decoder's token states, shape `(batch_size, num_tokens, state_dim)`.
        allowed_argument_types : `torch.BoolTensor`, optional
            Whether a relation type may join a head and a tail entity type, shape
            `(num_relation_types, num_entity_types, num_entity_types)`; `None`: any types.
        """
        entities = self._entities(candidates, span_logits, lengths)
        pairs = candidate_pairs(entities.spans.batch, lengths.size(0))
        relations = self._relations(
            scorer, relation_states, entities, pairs, lengths, allowed_argument_types
        )
        return Decoded(entities, pairs, relations)

    def _entities(
        self, candidates: CandidateSpans, span_logits: torch.Tensor, lengths: torch.Tensor
    ) -> PredictedEntities:
        """The kept entities of every sentence, in text order (by sentence, start, end)."""
        # Shape: (num_spans,), each
        scores, types = self.entity_probabilities(candidates, span_logits).max(dim=-1)
        num_positions = int(lengths.max()) + 1 if lengths.numel() else 1
        position = (
            candidates.batch * num_positions + candidates.starts
        ) * num_positions + candidates.ends
        entity_indices = (types != self.none_entity_index).nonzero(as_tuple=True)[0]
        entity_indices = entity_indices[torch.argsort(position[entity_indices])]
        entity_indices = entity_indices[
            keep_entities(
                candidates.select(entity_indices), scores[entity_indices], self.entity_overlap
            )
        ]
        within_cap = best_per_group(
            candidates.batch[entity_indices],
            scores[entity_indices],
            per_sentence_caps(lengths, self.max_entities_per_word),
        )
        _warn_if_capped(
            int((~within_cap).sum()),
            "entities",
            "max_entities_per_word",
            self.max_entities_per_word,
        )
        entity_indices = entity_indices[within_cap]
        return PredictedEntities(
            candidates.select(entity_indices), types[entity_indices], scores[entity_indices]
        )

    def _relations(
        self,
        scorer: RelationScorer,
        relation_states: torch.Tensor,
        entities: PredictedEntities,
        pairs: CandidatePairs,
        lengths: torch.Tensor,
        allowed_argument_types: torch.Tensor | None,
    ) -> SelectedRelations:
        """
        Every (pair, type) whose probability reaches the threshold and whose entity types the type
        may join, at most the relation cap per sentence (the highest-scoring), in pair order. Each
        chunk of pairs keeps only its selected relations, so memory stays bounded by the chunk and
        the caps.
        """
        empty = pairs.batch.new_zeros(0)
        selected = SelectedRelations(empty, empty, relation_states.new_zeros(0))
        if pairs.batch.numel() == 0:
            return selected
        caps = per_sentence_caps(lengths, self.max_relations_per_word)
        dropped = 0
        for chunk, logits in scorer.chunks(relation_states, entities.spans, pairs):
            # Shape: (chunk_size, num_relation_types)
            probabilities = self.relation_probabilities(logits)
            selectable = probabilities >= self.relation_threshold
            if allowed_argument_types is not None:
                # Shape: (chunk_size, num_relation_types)
                selectable &= allowed_argument_types[
                    :, entities.types[pairs.heads[chunk]], entities.types[pairs.tails[chunk]]
                ].T
            rows, types = selectable.nonzero(as_tuple=True)
            candidates = SelectedRelations(
                torch.cat([selected.pairs, chunk[rows]]),
                torch.cat([selected.types, types]),
                torch.cat([selected.scores, probabilities[rows, types]]),
            )
            keep = best_per_group(pairs.batch[candidates.pairs], candidates.scores, caps)
            dropped += int(keep.numel() - keep.sum())
            selected = SelectedRelations(*(tensor[keep] for tensor in candidates))
        _warn_if_capped(dropped, "relations", "max_relations_per_word", self.max_relations_per_word)
        return selected


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
