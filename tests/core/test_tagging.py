import json
import random

import pytest

from stsn_allennlp.core.spert_json import read_spert
from stsn_allennlp.core.tagging import (
    OverlapError,
    bio_to_entities,
    entities_to_bio,
    precedence,
    taggable_entities,
)
from tests import SHARED_DATA

ADE_FULL = SHARED_DATA / "ade" / "ade_full.json"


def test_plain_bio():
    entities = [(0, 2, "Peop"), (4, 5, "Org")]
    tags = entities_to_bio(entities, 6)
    assert tags == ["B-Peop", "I-Peop", "O", "O", "B-Org", "O"]
    assert bio_to_entities(tags) == entities


def test_paper_example_preceding_entity_is_the_longer_on_a_shared_head():
    # ADE: "Codeine intoxication" (Adverse-Effect) contains "Codeine" (Drug).
    entities = [(0, 1, "Drug"), (0, 2, "Adverse-Effect")]
    tags = entities_to_bio(entities, 3)
    assert tags == ["B-Adverse-Effect/B-Drug", "I-Adverse-Effect", "O"]
    assert bio_to_entities(tags) == [(0, 2, "Adverse-Effect"), (0, 1, "Drug")]


def test_preceding_entity_is_the_earlier_head_and_the_later_one_continues_alone():
    entities = [(2, 5, "B"), (0, 3, "A")]
    tags = entities_to_bio(entities, 6)
    assert tags == ["B-A", "I-A", "I-A/B-B", "I-B", "I-B", "O"]
    assert bio_to_entities(tags) == [(0, 3, "A"), (2, 5, "B")]


@pytest.mark.parametrize(
    "entities",
    [
        [(0, 3, "Drug"), (1, 2, "Drug")],  # same-type nesting
        [(0, 3, "Drug"), (0, 1, "Drug")],  # same head, same type
        [(0, 2, "Drug"), (0, 2, "Adverse-Effect")],  # one span, two types
        [(0, 2, "A"), (2, 4, "A")],  # adjacent, same type
        [(0, 3, "A"), (1, 2, "B"), (2, 5, "B")],  # a chain of two-fold overlaps
    ],
)
def test_two_fold_overlaps_round_trip(entities):
    tags = entities_to_bio(entities, 6)
    assert bio_to_entities(tags) == sorted(entities, key=precedence)


def test_identical_duplicates_are_tagged_once():
    tags = entities_to_bio([(1, 3, "Org"), (1, 3, "Org")], 4)
    assert tags == ["O", "B-Org", "I-Org", "O"]


def test_more_than_two_fold_overlap_raises_by_default():
    entities = [(0, 4, "A"), (1, 3, "B"), (2, 3, "C")]
    with pytest.raises(OverlapError, match=r"more than two entities.*overlap_policy='drop'"):
        entities_to_bio(entities, 4)


def test_more_than_two_fold_overlap_drops_the_innermost_from_the_tags(caplog):
    entities = [(2, 3, "C"), (0, 4, "A"), (1, 3, "B")]
    kept, dropped = taggable_entities(entities, "drop")
    assert kept == [(0, 4, "A"), (1, 3, "B")]
    assert dropped == [(2, 3, "C")]
    tags = entities_to_bio(entities, 4, overlap_policy="drop")
    assert tags == ["B-A", "I-A/B-B", "I-A/I-B", "I-A"]
    assert "1 entities left out of the BIO tags" in caplog.text


def test_same_type_crossing_is_untaggable_because_it_would_decode_as_nesting():
    crossing = [(0, 2, "Drug"), (1, 3, "Drug")]
    with pytest.raises(OverlapError, match="crosses"):
        entities_to_bio(crossing, 3)
    assert entities_to_bio(crossing, 3, overlap_policy="drop") == ["B-Drug", "I-Drug", "O"]
    # Of different types, crossing entities are fine.
    mixed = [(0, 2, "Drug"), (1, 3, "Adverse-Effect")]
    assert bio_to_entities(entities_to_bio(mixed, 3)) == mixed


def test_random_entity_sets_round_trip_on_what_the_tags_keep():
    rng = random.Random(0)
    for _ in range(3000):
        length = rng.randint(1, 8)
        entities = []
        for _ in range(rng.randint(0, 4)):
            start = rng.randrange(length)
            entities.append((start, rng.randint(start + 1, length), rng.choice("AB")))
        kept, _ = taggable_entities(entities, "drop")
        assert bio_to_entities(entities_to_bio(kept, length)) == kept


@pytest.mark.parametrize(
    "tags, expected",
    [
        (["I-Org", "I-Org", "O"], [(0, 2, "Org")]),  # I- without B-
        (["B-Org", "I-Loc", "I-Loc"], [(0, 1, "Org"), (1, 3, "Loc")]),  # type switch
        (["O", "I-Org"], [(1, 2, "Org")]),  # ends at the last token
        (["B-A/O", "I-A"], [(0, 2, "A")]),  # O inside a joined tag
        (["B-A/B-B/B-C", "I-A"], [(0, 2, "A"), (0, 1, "B"), (0, 1, "C")]),  # three labels
        (["B-A/B-A"], [(0, 1, "A")]),  # duplicate labels
        ([], []),
    ],
)
def test_decoding_is_robust_to_ill_formed_sequences(tags, expected):
    assert bio_to_entities(tags) == expected


@pytest.mark.parametrize("tag", ["X-Org", "B-", "B", ""])
def test_decoding_rejects_malformed_labels(tag):
    with pytest.raises(ValueError, match="ill-formed BIO label"):
        bio_to_entities(["O", tag])


@pytest.mark.parametrize(
    "entity, problem",
    [((2, 2, "A"), "empty or beyond"), ((1, 5, "A"), "empty or beyond"), ((0, 1, "A/B"), "'/'")],
)
def test_tagging_rejects_invalid_entities(entity, problem):
    with pytest.raises(ValueError, match=problem):
        entities_to_bio([entity], 3)


def test_unknown_overlap_policy():
    with pytest.raises(ValueError, match="overlap_policy"):
        entities_to_bio([], 2, overlap_policy="ignore")


@pytest.mark.skipif(not ADE_FULL.exists(), reason=f"benchmark data absent: {ADE_FULL}")
def test_ade_full_round_trips_exactly_through_extended_bio():
    sentences = read_spert(ADE_FULL)
    assert len(sentences) == 4272
    extended = 0
    for sentence in sentences:
        tags = entities_to_bio(sentence.entities, len(sentence.tokens))
        extended += any("/" in tag for tag in tags)
        expected = sorted(set(sentence.entities), key=precedence)
        assert bio_to_entities(tags) == expected, sentence.metadata
    assert extended == 119
    # The paper's Figure 4 labels appear.
    assert "B-Adverse-Effect/B-Drug" in json.dumps(
        [entities_to_bio(s.entities, len(s.tokens)) for s in sentences]
    )
