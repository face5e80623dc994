"""A decoder whose decisions are fixed whatever the weights, for benchmarks and tests that need a
known number of entities and relations."""

from collections.abc import Callable

import torch

from stsn_allennlp.models.decoder import StsnDecoder
from stsn_allennlp.models.decoding import CandidateSpans

EntityDecision = Callable[[CandidateSpans, torch.Tensor], torch.Tensor]
"""Replaces the span logits of a batch's candidate spans, shape `(num_spans, num_entity_types)`."""

RelationDecision = Callable[[torch.Tensor], torch.Tensor]
"""Replaces the relation probabilities of a chunk of pairs, shape `(num_pairs, num_relation_types)`."""


class FixedDecisionDecoder(StsnDecoder):
    """
    `decoder`'s policy (overlap mode, threshold, caps) over decisions that `entities` and
    `relations` replace: the classifiers still run, so costs stay the model's, and only their
    outputs change before decoding. Set it as a model's `decoder`; the model's own decoder, set
    back, restores its decisions.

    # Parameters

    decoder : `StsnDecoder`
        The decoder whose policy to keep (usually `model.decoder`).
    entities : `EntityDecision`, optional (default = `None`)
        Called with a batch's `CandidateSpans` and their span logits; returns the logits to
        decode (argmax, softmax score). `None`: the model's logits.
    relations : `RelationDecision`, optional (default = `None`)
        Called with the relation probabilities of a chunk of candidate pairs; returns the
        probabilities to threshold. `None`: the model's probabilities.
    """

    def __init__(
        self,
        decoder: StsnDecoder,
        entities: EntityDecision | None = None,
        relations: RelationDecision | None = None,
    ) -> None:
        super().__init__(
            decoder.none_entity_index,
            decoder.entity_overlap,
            decoder.relation_threshold,
            decoder.max_entities_per_word,
            decoder.max_relations_per_word,
        )
        self._entity_decision = entities
        self._relation_decision = relations

    def entity_probabilities(
        self, candidates: CandidateSpans, span_logits: torch.Tensor
    ) -> torch.Tensor:
        if self._entity_decision is not None:
            span_logits = self._entity_decision(candidates, span_logits)
        return super().entity_probabilities(candidates, span_logits)

    def relation_probabilities(self, logits: torch.Tensor) -> torch.Tensor:
        probabilities = super().relation_probabilities(logits)
        return (
            probabilities
            if self._relation_decision is None
            else self._relation_decision(probabilities)
        )
