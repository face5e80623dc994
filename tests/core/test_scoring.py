"""Hand-computed scores for NER, RE (boundary) and RE+ (strict); a check against scikit-learn."""

import random
from collections.abc import Sequence

import pytest
from sklearn.metrics import precision_recall_fscore_support

from stsn_allennlp.core.scoring import (
    JointCounts,
    compute_scores,
    count_sentences,
    precision_recall_f1,
)
from tests.core import Annotated

# "John Smith works for Acme Corp in Boston ."
GOLD_ENTITIES = [(0, 2, "Peop"), (4, 6, "Org"), (7, 8, "Loc")]
GOLD_RELATIONS = [(0, 1, "Work_For"), (1, 2, "OrgBased_In")]

AVERAGED_KEYS = {
    f"{task}_{measure}_{average}"
    for task in ("ner", "re", "re_plus")
    for measure in ("precision", "recall", "f1")
    for average in ("micro", "macro")
}


def score(
    gold_entities: Sequence,
    gold_relations: Sequence,
    predicted_entities: Sequence,
    predicted_relations: Sequence,
    symmetric: Sequence[str] = (),
) -> dict[str, float]:
    counts = JointCounts()
    counts.add_sentence(
        gold_entities, gold_relations, predicted_entities, predicted_relations, frozenset(symmetric)
    )
    return compute_scores(counts)


def assert_scores(scores: dict[str, float], expected: dict[str, float]) -> None:
    for key, value in expected.items():
        assert scores[key] == pytest.approx(value, abs=1e-9), key


def test_precision_recall_f1_is_in_percent_and_zero_on_zero_division():
    assert precision_recall_f1(1, 2, 4) == pytest.approx((50.0, 25.0, 100 / 3))
    assert precision_recall_f1(0, 0, 3) == (0.0, 0.0, 0.0)
    assert precision_recall_f1(0, 2, 0) == (0.0, 0.0, 0.0)


def test_perfect_predictions_score_100_everywhere():
    scores = score(GOLD_ENTITIES, GOLD_RELATIONS, GOLD_ENTITIES, GOLD_RELATIONS)
    per_type = {
        f"{prefix}_{label}_{measure}"
        for prefix, labels in (
            ("ner", ("Peop", "Org", "Loc")),
            ("re", ("Work_For", "OrgBased_In")),
            ("re_plus", ("Work_For", "OrgBased_In")),
        )
        for label in labels
        for measure in ("precision", "recall", "f1")
    }
    assert set(scores) == AVERAGED_KEYS | per_type
    assert all(value == 100.0 for value in scores.values())


def test_no_gold_and_no_predictions_give_zeros_and_no_per_type_keys():
    scores = score([], [], [], [])
    assert scores == {key: 0.0 for key in AVERAGED_KEYS}


def test_gold_without_predictions_gives_zero_recall_and_precision():
    scores = score(GOLD_ENTITIES, GOLD_RELATIONS, [], [])
    assert all(value == 0.0 for value in scores.values())
    assert "ner_Peop_recall" in scores and "re_plus_OrgBased_In_f1" in scores


def test_partial_entities_and_macro_differs_from_micro():
    # Peop correct, Org predicted as Loc, Boston missed, a spurious Peop.
    predicted = [(0, 2, "Peop"), (4, 6, "Loc"), (8, 9, "Peop")]
    scores = score(GOLD_ENTITIES, [], predicted, [])
    # Pooled: 1 correct of 3 predicted, of 3 gold.
    # Peop: P 1/2, R 1/1, F 2/3; Org: nothing predicted; Loc: 1 predicted, 0 correct.
    assert_scores(
        scores,
        {
            "ner_precision_micro": 100 / 3,
            "ner_recall_micro": 100 / 3,
            "ner_f1_micro": 100 / 3,
            "ner_Peop_precision": 50.0,
            "ner_Peop_recall": 100.0,
            "ner_Peop_f1": 200 / 3,
            "ner_Org_f1": 0.0,
            "ner_Loc_precision": 0.0,
            "ner_precision_macro": 50 / 3,
            "ner_recall_macro": 100 / 3,
            "ner_f1_macro": 200 / 9,
        },
    )


def test_partial_relations():
    # Work_For right, OrgBased_In missed, a spurious Work_For between Boston and Acme Corp.
    predicted_relations = [(0, 1, "Work_For"), (2, 1, "Work_For")]
    scores = score(GOLD_ENTITIES, GOLD_RELATIONS, GOLD_ENTITIES, predicted_relations)
    for prefix in ("re", "re_plus"):
        assert_scores(
            scores,
            {
                f"{prefix}_precision_micro": 50.0,
                f"{prefix}_recall_micro": 50.0,
                f"{prefix}_Work_For_precision": 50.0,
                f"{prefix}_Work_For_recall": 100.0,
                f"{prefix}_OrgBased_In_recall": 0.0,
                f"{prefix}_f1_macro": (200 / 3 + 0) / 2,
            },
        )


def test_boundary_only_match_counts_for_re_but_not_re_plus():
    # Right boundaries, Acme Corp typed Loc: the relations match in RE, not in RE+.
    predicted = [(0, 2, "Peop"), (4, 6, "Loc"), (7, 8, "Loc")]
    scores = score(GOLD_ENTITIES, GOLD_RELATIONS, predicted, GOLD_RELATIONS)
    assert_scores(
        scores,
        {
            "re_f1_micro": 100.0,
            "re_Work_For_f1": 100.0,
            "re_plus_f1_micro": 0.0,
            "re_plus_Work_For_precision": 0.0,
            "ner_precision_micro": 200 / 3,
        },
    )


def test_type_only_match_with_wrong_boundaries_counts_nowhere():
    # Right types, every boundary off by one token.
    predicted = [(0, 1, "Peop"), (4, 5, "Org"), (6, 8, "Loc")]
    scores = score(GOLD_ENTITIES, GOLD_RELATIONS, predicted, GOLD_RELATIONS)
    for prefix in ("ner", "re", "re_plus"):
        assert_scores(scores, {f"{prefix}_precision_micro": 0.0, f"{prefix}_recall_micro": 0.0})


def test_relation_with_wrong_type_does_not_match():
    scores = score(GOLD_ENTITIES, GOLD_RELATIONS, GOLD_ENTITIES, [(0, 1, "Live_In")])
    assert_scores(
        scores, {"re_f1_micro": 0.0, "re_plus_f1_micro": 0.0, "re_Live_In_precision": 0.0}
    )


def test_overlapping_entities_are_scored_independently():
    # "severe liver damage": Adverse-Effect 0-3 holds Drug-like span 1-2; a crossing 2-4 is wrong.
    gold = [(0, 3, "Adverse-Effect"), (1, 2, "Drug")]
    predicted = [(0, 3, "Adverse-Effect"), (1, 2, "Drug"), (2, 4, "Drug")]
    relations = [(0, 1, "Adverse-Effect")]
    scores = score(gold, relations, predicted, relations)
    assert_scores(
        scores,
        {
            "ner_precision_micro": 200 / 3,
            "ner_recall_micro": 100.0,
            "ner_f1_micro": 80.0,
            "ner_Drug_precision": 50.0,
            "ner_Adverse-Effect_f1": 100.0,
            "re_plus_f1_micro": 100.0,
        },
    )


def test_symmetric_relations_match_in_either_direction_for_re_and_re_plus():
    # "Ann met her brother Bob": PER-SOC is symmetric, Kill is not.
    entities = [(0, 1, "PER"), (4, 5, "PER")]
    gold = [(1, 0, "PER-SOC"), (0, 1, "Kill")]  # the gold symmetric relation given backwards
    predicted = [(0, 1, "PER-SOC"), (1, 0, "Kill")]
    symmetric = score(entities, gold, entities, predicted, symmetric=["PER-SOC"])
    assert_scores(
        symmetric,
        {"re_PER-SOC_f1": 100.0, "re_plus_PER-SOC_f1": 100.0, "re_Kill_f1": 0.0},
    )
    directed = score(entities, gold, entities, predicted)
    assert_scores(directed, {"re_PER-SOC_f1": 0.0, "re_plus_PER-SOC_f1": 0.0})


def test_symmetric_relation_predicted_both_ways_counts_once():
    entities = [(0, 1, "PER"), (4, 5, "PER")]
    predicted = [(0, 1, "PER-SOC"), (1, 0, "PER-SOC")]
    scores = score(entities, [(0, 1, "PER-SOC")], entities, predicted, symmetric=["PER-SOC"])
    assert_scores(scores, {"re_precision_micro": 100.0, "re_plus_precision_micro": 100.0})


def test_symmetric_order_does_not_depend_on_the_entity_list_order():
    # The predicted entity list is in another order than the gold one.
    gold_entities = [(0, 1, "PER"), (4, 5, "PER")]
    predicted_entities = [(4, 5, "PER"), (0, 1, "PER")]
    scores = score(
        gold_entities, [(0, 1, "PER-SOC")], predicted_entities, [(0, 1, "PER-SOC")], ["PER-SOC"]
    )
    assert_scores(scores, {"re_plus_f1_micro": 100.0})


def test_duplicated_predictions_and_gold_count_once():
    predicted_entities = GOLD_ENTITIES + GOLD_ENTITIES
    # The second Work_For points at the duplicate entities: the same relation again.
    predicted_relations = [*GOLD_RELATIONS, (3, 4, "Work_For"), (0, 1, "Work_For")]
    gold_entities = [*GOLD_ENTITIES, GOLD_ENTITIES[0]]
    scores = score(gold_entities, GOLD_RELATIONS, predicted_entities, predicted_relations)
    assert all(value == 100.0 for value in scores.values())


def test_macro_averages_over_types_seen_only_in_predictions():
    predicted = [*GOLD_ENTITIES, (3, 4, "Other")]
    scores = score(GOLD_ENTITIES, [], predicted, [])
    assert_scores(
        scores,
        {
            "ner_Other_precision": 0.0,
            "ner_Other_recall": 0.0,
            "ner_f1_macro": 300 / 4,
            "ner_precision_micro": 75.0,
            "ner_recall_micro": 100.0,
        },
    )


def test_entities_and_relations_as_lists_are_accepted():
    entities = [list(entity) for entity in GOLD_ENTITIES]
    relations = [list(relation) for relation in GOLD_RELATIONS]
    scores = score(GOLD_ENTITIES, GOLD_RELATIONS, entities, relations)
    assert all(value == 100.0 for value in scores.values())


def test_counts_of_sentences_add_up():
    first = Annotated(["a"] * 9, GOLD_ENTITIES, GOLD_RELATIONS)
    second = Annotated(["b"] * 9, [(0, 1, "Peop")], [])
    wrong = Annotated(["b"] * 9, [(0, 1, "Org")], [])
    together = count_sentences([first, second], [first, wrong])
    separately = count_sentences([first], [first])
    separately += count_sentences([second], [wrong])
    assert together == separately
    assert_scores(
        compute_scores(together), {"ner_precision_micro": 75.0, "ner_Org_precision": 50.0}
    )


def test_ambiguous_score_key_is_an_error():
    # RE type "plus_Kill" would write re_plus_Kill_f1, RE+ type "Kill" as well.
    entities = [(0, 1, "PER"), (2, 3, "PER")]
    relations = [(0, 1, "plus_Kill"), (0, 1, "Kill")]
    with pytest.raises(ValueError, match="re_plus_Kill_precision"):
        score(entities, relations, entities, relations)


def random_sentence(rng: random.Random) -> Annotated:
    starts = rng.sample(range(12), 4)
    entities = sorted({(start, start + rng.randint(1, 3), rng.choice("ABC")) for start in starts})
    relations = [
        (rng.randrange(len(entities)), rng.randrange(len(entities)), rng.choice(["R", "S"]))
        for _ in range(rng.randint(0, 4))
    ]
    return Annotated(["w"] * 15, entities, relations)


def perturbed(sentence: Annotated, rng: random.Random) -> Annotated:
    entities: list[tuple[int, int, str]] = []
    for start, end, label in sentence.entities:
        change = rng.random()
        if change < 0.2:
            label = rng.choice("ABC")
        elif change < 0.3:
            end += 1
        entities.append((start, end, label))
    entities += [(rng.randrange(12), 14, "C")] * rng.randint(0, 2)
    relations = [r for r in sentence.relations if rng.random() < 0.8]
    relations += [(0, len(entities) - 1, "S")] * rng.randint(0, 2)
    return Annotated(sentence.tokens, entities, relations)


def sklearn_scores(item_sets: list[tuple[set, set]], prefix: str) -> dict[str, float]:
    """SpERT's way: per sentence, every item of gold | predicted is one sample whose true
    (predicted) label is its type when gold (predicted) holds it, else a label outside the scored
    types."""
    y_true, y_pred = [], []
    for gold, predicted in item_sets:
        for item in gold | predicted:
            y_true.append(item[-1] if item in gold else "<none>")
            y_pred.append(item[-1] if item in predicted else "<none>")
    labels = sorted(set(y_true + y_pred) - {"<none>"})
    scores = {}
    for average in ("micro", "macro"):
        values = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=average, zero_division=0
        )[:3]
        for measure, value in zip(("precision", "recall", "f1"), values):
            scores[f"{prefix}_{measure}_{average}"] = 100 * value
    return scores


def test_agrees_with_scikit_learn_as_spert_uses_it():
    rng = random.Random(0)
    gold = [random_sentence(rng) for _ in range(60)]
    predicted = [perturbed(sentence, rng) for sentence in gold]

    def relations(sentence: Annotated, strict: bool) -> set:
        def argument(index: int) -> tuple:
            return sentence.entities[index] if strict else sentence.entities[index][:2]

        return {(argument(head), argument(tail), label) for head, tail, label in sentence.relations}

    expected = sklearn_scores(
        [(set(g.entities), set(p.entities)) for g, p in zip(gold, predicted)], "ner"
    )
    for prefix, strict in (("re", False), ("re_plus", True)):
        expected.update(
            sklearn_scores(
                [(relations(g, strict), relations(p, strict)) for g, p in zip(gold, predicted)],
                prefix,
            )
        )
    scores = compute_scores(count_sentences(gold, predicted))
    assert_scores(scores, expected)
    assert 20 < scores["re_plus_f1_micro"] < scores["re_f1_micro"] < 100
    assert scores["ner_f1_macro"] != scores["ner_f1_micro"]
