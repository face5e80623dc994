"""The relation threshold chosen on held-out predictions: each candidate's RE+ comes from filtering
one low-threshold prediction by score."""

from stsn_allennlp.core import Entity, Relation, Sentence
from stsn_allennlp.core.calibration import (
    ScoredPrediction,
    best_threshold,
    scored_prediction,
    sweep_relation_thresholds,
)
from stsn_allennlp.core.scoring import PrecisionRecallF1

TOKENS = ["Mary", "works", "for", "Acme", "in", "Paris"]
ENTITIES = [Entity(0, 1, "Peop"), Entity(3, 4, "Org"), Entity(5, 6, "Loc")]
GOLD = [Sentence(TOKENS, ENTITIES, [Relation(0, 1, "Work_For")])]


def predicted(*relations: tuple[int, int, str, float]) -> list[ScoredPrediction]:
    return [ScoredPrediction(TOKENS, [tuple(entity) for entity in ENTITIES], list(relations))]


def test_a_threshold_keeps_the_relations_scoring_at_least_it():
    sweep = sweep_relation_thresholds(
        GOLD,
        predicted((0, 1, "Work_For", 0.6), (0, 2, "Live_In", 0.3)),
        thresholds=(0.2, 0.3, 0.5, 0.7),
    )
    # 0.2 and 0.3 keep the wrong Live_In too; 0.5 keeps only the right one; 0.7 keeps none
    assert sweep[0.3] == PrecisionRecallF1(50.0, 100.0, sweep[0.3].f1)
    assert sweep[0.5] == PrecisionRecallF1(100.0, 100.0, 100.0)
    assert sweep[0.7].recall == 0.0
    assert best_threshold(sweep) == 0.5


def test_of_equal_scores_the_lowest_threshold_is_chosen():
    sweep = sweep_relation_thresholds(
        GOLD, predicted((0, 1, "Work_For", 0.9)), thresholds=(0.8, 0.4, 0.6)
    )
    assert best_threshold(sweep) == 0.4


def test_a_prediction_record_keeps_its_relation_scores():
    record = {
        "tokens": TOKENS,
        "entities": [{"type": "Peop", "start": 0, "end": 1, "text": "Mary", "score": 0.9}],
        "relations": [{"type": "Work_For", "head": 0, "tail": 0, "score": 0.25}],
    }
    sentence = scored_prediction(record)
    assert sentence.entities == [(0, 1, "Peop")]
    assert sentence.relations == [(0, 0, "Work_For", 0.25)]
    assert sentence.at_threshold(0.3).relations == []
    assert sentence.at_threshold(0.2).relations == [(0, 0, "Work_For")]
