from stsn_allennlp.data import Entity, Relation, Sentence
from stsn_allennlp.visualize.inputs import ScoredSentence
from stsn_allennlp.visualize.marks import ArcMark, EntityMark, sentence_marks

TOKENS = ["Ann", "Lee", "works", "for", "Acme", "in", "Rome", "."]
GOLD = Sentence(
    TOKENS,
    [Entity(0, 2, "Peop"), Entity(4, 5, "Org"), Entity(6, 7, "Loc")],
    [Relation(0, 1, "Work_For"), Relation(1, 2, "OrgBased_In")],
)


def _predicted(entities, relations, scores=None):
    sentence = Sentence(TOKENS, entities, relations)
    return ScoredSentence(sentence, scores or {}, {}, "line 1")


def test_without_gold_every_mark_is_predicted_with_its_score():
    predicted = _predicted(
        [Entity(0, 2, "Peop"), Entity(4, 5, "Org")],
        [Relation(0, 1, "Work_For")],
        {(0, 2, "Peop"): 0.9},
    )
    marks = sentence_marks(predicted)
    assert marks.entities == [
        EntityMark(0, 2, "Peop", 0.9, "predicted"),
        EntityMark(4, 5, "Org", None, "predicted"),
    ]
    assert marks.arcs == [ArcMark(0, 1, "Work_For", None, "predicted")]
    assert marks.errors() == 0


def test_strict_matching_marks_correct_spurious_and_missed():
    # Rome typed wrongly: its entity is spurious, gold Loc missed, and the relation to it is
    # spurious under RE+ although its boundaries match (RE would count it).
    predicted = _predicted(
        [Entity(0, 2, "Peop"), Entity(4, 5, "Org"), Entity(6, 7, "Org")],
        [Relation(0, 1, "Work_For"), Relation(1, 2, "OrgBased_In")],
    )
    marks = sentence_marks(predicted, GOLD)
    statuses = {(e.start, e.end, e.type): e.status for e in marks.entities}
    assert statuses == {
        (0, 2, "Peop"): "correct",
        (4, 5, "Org"): "correct",
        (6, 7, "Org"): "spurious",
        (6, 7, "Loc"): "missed",
    }
    by_status = {
        (a.type, a.status): (marks.entities[a.head].type, marks.entities[a.tail].type)
        for a in marks.arcs
    }
    assert by_status == {
        ("Work_For", "correct"): ("Peop", "Org"),
        ("OrgBased_In", "spurious"): ("Org", "Org"),
        ("OrgBased_In", "missed"): ("Org", "Loc"),
    }
    assert marks.errors() == 4


def test_symmetric_types_match_in_either_direction():
    gold = Sentence(TOKENS, [Entity(0, 2, "Peop"), Entity(4, 5, "Peop")], [Relation(0, 1, "Kin")])
    reversed_relation = _predicted(list(gold.entities), [Relation(1, 0, "Kin")])
    assert {a.status for a in sentence_marks(reversed_relation, gold).arcs} == {
        "spurious",
        "missed",
    }
    symmetric = sentence_marks(reversed_relation, gold, frozenset({"Kin"}))
    assert [a.status for a in symmetric.arcs] == ["correct"]
