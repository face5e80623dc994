"""Predictors with forced decisions over the small trained archive (`archive`: `tests/conftest.py`)."""

import json
from pathlib import Path

import pytest
import torch
from allennlp.predictors import Predictor

from stsn_allennlp.data.fields import ENTITY_NAMESPACE, NONE_ENTITY, RELATION_NAMESPACE
from stsn_allennlp.models.fixed_decisions import FixedDecisionDecoder
from stsn_allennlp.predictors import StsnPredictor


@pytest.fixture(scope="session")
def eager_predictor(archive) -> StsnPredictor:
    """
    A predictor whose model calls every candidate span an entity of one type and every ordered
    pair of entities a relation of one type, whatever the text: entities and relations of every
    width and position exist, so output properties hold for more than an empty list. The
    per-sentence caps are lifted so that every span stays an entity.
    """
    return _forced_predictor(
        archive,
        entities=True,
        overrides={"model.max_entities_per_word": 100.0, "model.max_relations_per_word": 10000.0},
    )


@pytest.fixture(scope="session")
def quiet_predictor(archive) -> StsnPredictor:
    """A predictor whose model finds no entity: the cost of long inputs stays linear."""
    return _forced_predictor(archive, entities=False)


def _forced_predictor(
    archive: Path, entities: bool, overrides: dict | None = None
) -> StsnPredictor:
    """A predictor whose model's decisions ignore the input (`FixedDecisionDecoder`): the first
    entity type (or `NoneEntity`) and the first relation type always win."""
    predictor = Predictor.from_path(archive, "stsn", overrides=json.dumps(overrides or {}))
    vocab = predictor.model.vocab
    entity_type = next(
        index
        for index, label in vocab.get_index_to_token_vocabulary(ENTITY_NAMESPACE).items()
        if (label != NONE_ENTITY) == entities
    )
    assert vocab.get_vocab_size(RELATION_NAMESPACE) > 0
    predictor.model.decoder = FixedDecisionDecoder(
        predictor.model.decoder,
        entities=lambda spans, logits: _winner(logits, entity_type, loser=-10.0, winner=10.0),
        relations=lambda probabilities: _winner(probabilities, 0, loser=0.0, winner=1.0),
    )
    return predictor


def _winner(scores: torch.Tensor, column: int, loser: float, winner: float) -> torch.Tensor:
    """Scores of the same shape: `winner` in `column`, `loser` elsewhere."""
    forced = torch.full_like(scores, loser)
    forced[:, column] = winner
    return forced
