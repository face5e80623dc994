"""Errors by kind: each kind on hand-made sentences, the order of the checks, and the partition."""

import json
import random

import pytest

from stsn_allennlp.commands.evaluate import main
from stsn_allennlp.core.error_kinds import (
    ARGUMENT_OVERLAPS_GOLD,
    ENTITY_FALSE_POSITIVE_KINDS,
    ENTITY_MISSED_KINDS,
    RELATION_FALSE_POSITIVE_KINDS,
    RELATION_FOUND_MISSED_KINDS,
    RELATION_MISSED_KINDS,
    count_error_kinds,
    error_kinds_report,
)
from stsn_allennlp.core.scoring import count_sentences
from tests.core import Annotated

TOKENS = ["w"] * 20


def only_nonzero(group: dict) -> dict:
    return {key: value for key, value in group.items() if value and key != "total"}


def test_entity_false_positive_kinds():
    gold = Annotated(TOKENS, [(0, 2, "A"), (3, 5, "B"), (6, 7, "A"), (13, 14, "B")], [])
    predicted = Annotated(
        TOKENS,
        [
            (0, 2, "A"),  # correct
            (3, 5, "A"),  # type: the span of (3, 5, B)
            (3, 4, "B"),  # boundary: inside (3, 5, B)
            (6, 8, "A"),  # boundary: sticks out of (6, 7, A)
            (9, 10, "A"),  # spurious
            (9, 10, "A"),  # the same again: counts once
            (10, 12, "B"),  # spurious: touches (9, 10) without sharing a token
        ],
        [],
    )
    counts = count_error_kinds([gold], [predicted]).as_dict()
    assert counts["entity_false_positives"] == {"total": 5, "type": 1, "boundary": 2, "spurious": 2}
    # (3, 5, B) has a false positive on its span (and one inside it: the span comes first);
    # (6, 7, A) one overlapping it; (13, 14, B) none near it.
    assert counts["entity_false_negatives"] == {
        "total": 3,
        "missed": 3,
        "missed_same_span_other_type": 1,
        "missed_overlapping_other_span": 1,
        "missed_no_false_positive_overlaps": 1,
    }


def test_same_span_is_checked_before_overlap():
    # Nested gold: the prediction has the span of the inner entity and overlaps the outer one.
    gold = Annotated(TOKENS, [(0, 4, "A"), (1, 2, "B")], [])
    predicted = Annotated(TOKENS, [(0, 4, "A"), (1, 2, "A")], [])
    assert only_nonzero(
        count_error_kinds([gold], [predicted]).as_dict()["entity_false_positives"]
    ) == {"type": 1}


def test_a_correct_overlapping_prediction_is_no_error_of_a_missed_entity():
    # The inner gold entity is found; the outer one is missed with no wrong prediction near it.
    gold = Annotated(TOKENS, [(0, 4, "A"), (1, 2, "B")], [])
    predicted = Annotated(TOKENS, [(1, 2, "B")], [])
    assert only_nonzero(
        count_error_kinds([gold], [predicted]).as_dict()["entity_false_negatives"]
    ) == {
        "missed": 1,
        "missed_no_false_positive_overlaps": 1,
    }


def test_overlapping_entities():
    gold = Annotated(TOKENS, [(0, 1, "A"), (2, 3, "A"), (10, 14, "A"), (11, 12, "B")], [])
    predicted = Annotated(
        TOKENS,
        # (0, 3) overlaps (1, 2) and (2, 4); (1, 2) and (2, 4) only touch, as do (5, 6) and (6, 7);
        # the duplicate is one entity, not a pair.
        [(0, 3, "A"), (1, 2, "B"), (2, 4, "A"), (5, 6, "A"), (6, 7, "A"), (6, 7, "A")],
        [],
    )
    assert count_error_kinds([gold, gold], [predicted, gold]).as_dict()["overlapping_entities"] == {
        "predicted_pairs": 2 + 1,
        "predicted_in_overlaps": 3 + 2,
        "predicted_entities": 5 + 4,
        "gold_pairs": 1 + 1,
        "gold_in_overlaps": 2 + 2,
        "gold_entities": 4 + 4,
        "gold_pairs_found": 0 + 1,
    }


def test_a_gold_pair_is_found_only_with_both_entities_exact():
    gold = Annotated(TOKENS, [(0, 4, "A"), (1, 2, "B"), (6, 9, "A"), (7, 8, "B")], [])
    # the first pair found; of the second, (7, 8) has the wrong type
    predicted = Annotated(TOKENS, [(0, 4, "A"), (1, 2, "B"), (6, 9, "A"), (7, 8, "A")], [])
    counts = count_error_kinds([gold], [predicted]).as_dict()["overlapping_entities"]
    assert (counts["gold_pairs"], counts["gold_pairs_found"]) == (2, 1)


def test_same_span_other_type_is_an_overlap():
    sentence = Annotated(TOKENS, [(0, 2, "A"), (0, 2, "B")], [])
    counts = count_error_kinds([sentence], [sentence]).as_dict()["overlapping_entities"]
    assert (counts["predicted_pairs"], counts["predicted_in_overlaps"]) == (1, 2)


# Gold entities: 0 (0,1,P), 1 (2,3,O), 2 (4,5,L), 3 (6,7,P), 4 (8,9,L).
RELATION_GOLD = Annotated(
    TOKENS,
    [(0, 1, "P"), (2, 3, "O"), (4, 5, "L"), (6, 7, "P"), (8, 9, "L")],
    [(0, 1, "Work"), (1, 2, "OrgIn"), (3, 4, "LiveIn"), (0, 3, "Kill")],
)
# The gold entities, then 5 (10,12,O) far from any, 6 (4,6,L) overlapping gold 2, 7 (6,7,O) and
# 8 (2,3,L) on the spans of gold 3 and 1 with the wrong type.
RELATION_PREDICTED = Annotated(
    TOKENS,
    [*RELATION_GOLD.entities, (10, 12, "O"), (4, 6, "L"), (6, 7, "O"), (2, 3, "L")],
    [
        (0, 1, "Work"),  # correct
        (2, 1, "OrgIn"),  # reversed
        (2, 1, "OrgIn"),  # the same again: counts once
        (3, 4, "Work"),  # wrong type: gold has LiveIn
        (1, 0, "Kill"),  # reversed, wrong type: gold has (0, 1, Work)
        (2, 4, "LiveIn"),  # no gold relation between gold 2 and gold 4
        (0, 5, "Work"),  # argument not gold entity, overlapping none
        (0, 6, "Work"),  # argument not gold entity, overlapping gold 2
        (7, 4, "LiveIn"),  # entity type wrong: (6,7)-(8,9) LiveIn matches under RE
        (8, 2, "OrgIn"),  # entity type wrong: (2,3)-(4,5) OrgIn matches under RE
        (7, 2, "Work"),  # entity type and relation wrong: no (6,7)-(4,5) relation in gold
    ],
)


def test_relation_false_positive_kinds():
    counts = count_error_kinds([RELATION_GOLD], [RELATION_PREDICTED]).as_dict()[
        "relation_false_positives"
    ]
    assert counts == {
        "total": 9,
        "reversed": 1,
        "wrong_type": 1,
        "reversed_wrong_type": 1,
        "no_gold_relation": 1,
        "argument_not_gold_entity": 2,
        "entity_type_wrong": 2,
        "entity_type_and_relation_wrong": 1,
        ARGUMENT_OVERLAPS_GOLD: 1,
    }


def test_relation_false_negative_kinds():
    counts = count_error_kinds([RELATION_GOLD], [RELATION_PREDICTED]).as_dict()[
        "relation_false_negatives"
    ]
    # Gold (1,2,OrgIn) is predicted reversed, (3,4,LiveIn) as Work, (0,3,Kill) not at all.
    assert only_nonzero(counts) == {
        "entities_found_relation_missed": 3,
        "predicted_reversed": 1,
        "predicted_other_type": 1,
        "not_predicted": 1,
    }
    assert counts["total"] == 3
    # Gold entity 2 predicted as an O: its relation loses an argument; (0,1,Work) and (0,3,Kill) are
    # predicted reversed with each other's type; (3,4,LiveIn) is right.
    predicted = Annotated(
        TOKENS,
        [*RELATION_GOLD.entities[:2], (4, 5, "O"), *RELATION_GOLD.entities[3:]],
        [(1, 0, "Kill"), (1, 2, "OrgIn"), (3, 4, "LiveIn"), (3, 0, "Work")],
    )
    counts = count_error_kinds([RELATION_GOLD], [predicted]).as_dict()["relation_false_negatives"]
    assert only_nonzero(counts) == {
        "argument_entity_missed": 1,
        "entities_found_relation_missed": 2,
        "predicted_reversed_other_type": 2,
    }


A, B, C = (0, 1, "P"), (2, 3, "P"), (5, 7, "O")


@pytest.mark.parametrize(
    "gold_relations, predicted_relation, symmetric, kind",
    [
        # Reversed comes before wrong type, which comes before reversed with another type.
        ([(0, 1, "R"), (1, 0, "S")], (1, 0, "R"), (), "reversed"),
        ([(0, 1, "S"), (1, 0, "S")], (0, 1, "R"), (), "wrong_type"),
        # A symmetric gold type relates its entities in either direction.
        ([(0, 1, "Soc")], (1, 0, "Kill"), ("Soc",), "wrong_type"),
        ([(0, 1, "Soc")], (1, 0, "Kill"), (), "reversed_wrong_type"),
        # Gold relates A to C, not A to B.
        ([(0, 2, "R")], (0, 1, "R"), (), "no_gold_relation"),
    ],
)
def test_order_of_the_relation_kinds(gold_relations, predicted_relation, symmetric, kind):
    gold = Annotated(TOKENS, [A, B, C], gold_relations)
    predicted = Annotated(TOKENS, [A, B, C], [predicted_relation])
    counts = count_error_kinds([gold], [predicted], frozenset(symmetric)).as_dict()
    assert only_nonzero(counts["relation_false_positives"]) == {kind: 1}


def test_a_span_outside_gold_comes_before_a_wrong_type():
    gold = Annotated(TOKENS, [A, B], [(0, 1, "R")])
    # The head has the wrong type, the tail the wrong boundaries (overlapping B).
    predicted = Annotated(TOKENS, [(0, 1, "O"), (2, 4, "P")], [(0, 1, "R")])
    counts = count_error_kinds([gold], [predicted]).as_dict()["relation_false_positives"]
    assert only_nonzero(counts) == {"argument_not_gold_entity": 1, ARGUMENT_OVERLAPS_GOLD: 1}


def test_a_symmetric_relation_predicted_reversed_is_no_error():
    gold = Annotated(TOKENS, [A, B], [(0, 1, "Soc")])
    predicted = Annotated(TOKENS, [A, B], [(1, 0, "Soc")])
    counts = count_error_kinds([gold], [predicted], frozenset({"Soc"})).as_dict()
    assert counts["relation_false_positives"]["total"] == 0
    assert counts["relation_false_negatives"]["total"] == 0
    counts = count_error_kinds([gold], [predicted]).as_dict()
    assert only_nonzero(counts["relation_false_positives"]) == {"reversed": 1}
    assert only_nonzero(counts["relation_false_negatives"]) == {
        "entities_found_relation_missed": 1,
        "predicted_reversed": 1,
    }


def assert_partitions(gold: list[Annotated], predicted: list[Annotated], symmetric=frozenset()):
    counts = count_error_kinds(gold, predicted, symmetric).as_dict()
    scored = count_sentences(gold, predicted, symmetric)

    def false_positives(task):
        return sum(task.predicted.values()) - sum(task.true_positives.values())

    def false_negatives(task):
        return sum(task.gold.values()) - sum(task.true_positives.values())

    groups = [
        ("entity_false_positives", ENTITY_FALSE_POSITIVE_KINDS, false_positives(scored.ner)),
        ("entity_false_negatives", ENTITY_MISSED_KINDS, false_negatives(scored.ner)),
        (
            "relation_false_positives",
            RELATION_FALSE_POSITIVE_KINDS,
            false_positives(scored.re_plus),
        ),
        ("relation_false_negatives", RELATION_MISSED_KINDS, false_negatives(scored.re_plus)),
    ]
    for group, kinds, expected in groups:
        assert sum(counts[group][kind] for kind in kinds) == counts[group]["total"] == expected
    relation_fn = counts["relation_false_negatives"]
    assert (
        sum(relation_fn[kind] for kind in RELATION_FOUND_MISSED_KINDS)
        == relation_fn["entities_found_relation_missed"]
    )
    relation_fp = counts["relation_false_positives"]
    assert relation_fp[ARGUMENT_OVERLAPS_GOLD] <= relation_fp["argument_not_gold_entity"]
    assert counts["entity_false_negatives"]["missed"] == false_negatives(scored.ner)


def test_the_hand_made_kinds_partition_the_false_items():
    assert_partitions([RELATION_GOLD] * 2, [RELATION_PREDICTED, RELATION_GOLD])


def random_sentence(generator: random.Random) -> Annotated:
    entities = []
    for _ in range(generator.randint(0, 6)):
        start = generator.randrange(8)
        entities.append((start, start + generator.randint(1, 3), generator.choice("AB")))
    relations = [
        (
            generator.randrange(len(entities)),
            generator.randrange(len(entities)),
            generator.choice(["R", "S", "Sym"]),
        )
        for _ in range(generator.randint(0, 6) if entities else 0)
    ]
    return Annotated(["w"] * 11, entities, relations)


def perturbed(entity, generator: random.Random):
    start, end, label = entity
    choice = generator.randrange(4)
    if choice == 0:
        return start, end, "B" if label == "A" else "A"
    if choice == 1:
        return start, max(start + 1, end + generator.choice([-1, 1])), label
    return entity


def perturbed_relation(relation, generator: random.Random):
    head, tail, label = relation
    choice = generator.randrange(5)
    if choice == 0:
        return tail, head, label
    if choice == 1:
        return head, tail, generator.choice(["R", "S", "Sym"])
    if choice == 2:
        return tail, head, generator.choice(["R", "S", "Sym"])
    return relation


@pytest.mark.parametrize("symmetric", [frozenset(), frozenset({"Sym"})], ids=["plain", "sym"])
def test_the_kinds_partition_the_false_items_of_random_sentences(symmetric):
    # Few positions and types, so that every kind, duplicates and self-relations turn up.
    generator = random.Random(13)
    gold = [random_sentence(generator) for _ in range(300)]
    predicted = [random_sentence(generator) for _ in range(300)]
    # Half the predictions start from gold, so that there are correct items and near misses:
    # entities retyped or with a boundary moved, relations dropped, reversed, retyped or added.
    for index in range(0, 300, 2):
        extra = random_sentence(generator)
        entities = [perturbed(entity, generator) for entity in gold[index].entities]
        entities += extra.entities[:1]
        relations = [
            perturbed_relation(relation, generator) for relation in gold[index].relations[1:]
        ]
        relations += [
            (head % len(entities), tail % len(entities), label)
            for head, tail, label in extra.relations[:2]
        ]
        predicted[index] = Annotated(gold[index].tokens, entities, relations)
    assert_partitions(gold, predicted, symmetric)
    counts = count_error_kinds(gold, predicted, symmetric).as_dict()
    for group, kinds in (
        ("entity_false_positives", ENTITY_FALSE_POSITIVE_KINDS),
        ("relation_false_positives", RELATION_FALSE_POSITIVE_KINDS),
    ):
        assert all(counts[group][kind] > 0 for kind in kinds), counts[group]


def table(report: str, title: str) -> list[list[str]]:
    (found,) = [part for part in report.split("\n\n") if part.startswith(title)]
    return [line.rsplit(None, 2) for line in found.splitlines()[2:]]


def test_report_tables_show_counts_and_shares():
    report = error_kinds_report([RELATION_GOLD], [RELATION_PREDICTED])
    rows = table(report, "RE+ (strict) false positives by kind")
    labels = [row[0].strip() for row in rows]
    assert labels[:5] == [
        "reversed",
        "wrong type",
        "reversed, wrong type",
        "no gold relation",
        "argument not gold entity",
    ]
    assert rows[labels.index("entity type wrong")][1:] == ["2", f"{100 * 2 / 9:.2f}"]
    assert rows[labels.index("an unmatched argument overlaps gold")][1:] == ["1", f"{100 / 9:.2f}"]
    assert rows[-1] == ["total", "9", "100.00"]
    entity_rows = table(report, "NER false positives by kind")
    # The four extra predicted entities: one outside gold, one overlapping, two on gold spans.
    assert [row[1:] for row in entity_rows] == [
        ["2", "50.00"],
        ["1", "25.00"],
        ["1", "25.00"],
        ["4", "100.00"],
    ]
    overlap_rows = table(report, "Overlapping entities")
    # (4,6) overlaps (4,5); (6,7,O) and (6,7,P); (2,3,L) and (2,3,O): 3 pairs of 9 entities.
    assert overlap_rows[0] == ["predicted pairs overlapping", "3", "-"]
    assert overlap_rows[1] == ["predicted entities in an overlap", "6", f"{100 * 6 / 9:.2f}"]


def test_empty_groups_show_zero_shares():
    report = error_kinds_report([RELATION_GOLD], [RELATION_GOLD])
    assert table(report, "RE+ (strict) false negatives by kind")[-1] == ["total", "0", "0.00"]


def test_the_command_prints_the_kinds_under_error_analysis(capsys, tmp_path):
    def record(sentence: Annotated) -> dict:
        return {
            "tokens": sentence.tokens,
            "entities": [{"start": s, "end": e, "type": t} for s, e, t in sentence.entities],
            "relations": [{"head": h, "tail": t, "type": r} for h, t, r in sentence.relations],
        }

    gold = Annotated(
        ["Ann", "met", "Bob", "at", "Acme"],
        [(0, 1, "P"), (2, 3, "P"), (4, 5, "O")],
        [(0, 2, "Work"), (0, 1, "Soc")],
    )
    # Soc reversed (an error unless Soc is symmetric), Work right, Bob typed wrong.
    predicted = Annotated(
        gold.tokens, [(0, 1, "P"), (2, 3, "O"), (4, 5, "O")], [(0, 2, "Work"), (1, 0, "Soc")]
    )
    paths = []
    for name, sentence in (("gold.json", gold), ("pred.json", predicted)):
        (tmp_path / name).write_text(json.dumps([record(sentence)]))
        paths.append(str(tmp_path / name))

    assert main(paths) == 0
    assert "false positives by kind" not in capsys.readouterr().out

    assert main([*paths, "--error-analysis"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out.split("\n\n", 1)[0])["ner_f1_micro"] < 100.0
    assert "NER by entity length (tokens)" in out  # the §4.3 tables stay
    report = out[out.index("NER false positives by kind") :]
    assert table(report, "NER false positives by kind")[0] == ["type", "1", "100.00"]
    # The reversed Soc's tail (2,3,O) is on a gold span with the wrong type, and gold relates the
    # two spans with Soc in the other direction only: not an RE match.
    relation_rows = {
        row[0].strip(): row[1:] for row in table(report, "RE+ (strict) false positives by kind")
    }
    assert relation_rows["entity type and relation wrong"] == ["1", "100.00"]
    missed_rows = {
        row[0].strip(): row[1:] for row in table(report, "RE+ (strict) false negatives by kind")
    }
    assert missed_rows["argument entity missed"] == ["1", "100.00"]

    assert main([*paths, "--error-analysis", "--symmetric", "Soc"]) == 0
    report = capsys.readouterr().out
    relation_rows = {
        row[0].strip(): row[1:] for row in table(report, "RE+ (strict) false positives by kind")
    }
    # As symmetric, the two spans match under RE; only Bob's type is wrong.
    assert relation_rows["entity type wrong"] == ["1", "100.00"]
