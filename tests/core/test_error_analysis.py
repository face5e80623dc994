"""The §4.3 buckets and tables."""

import pytest

from stsn_allennlp.core.error_analysis import (
    ENTITY_LENGTH_BUCKETS,
    SENTENCE_LENGTH_BUCKETS,
    bucket_label,
    counts_by_sentence_length,
    error_analysis_report,
    format_table,
    ner_counts_by_entity_length,
)
from tests.core import Annotated


@pytest.mark.parametrize(
    "length, label",
    [
        (1, "1-2"),
        (2, "1-2"),
        (3, "3-4"),
        (8, "7-8"),
        (9, "9-10"),
        (10, "9-10"),
        (11, ">10"),
        (40, ">10"),
    ],
)
def test_entity_length_buckets(length, label):
    assert bucket_label(length, ENTITY_LENGTH_BUCKETS) == label


@pytest.mark.parametrize(
    "length, label",
    [
        (0, "0-19"),
        (19, "0-19"),
        (20, "20-34"),
        (34, "20-34"),
        (35, "35-49"),
        (49, "35-49"),
        (50, ">=50"),
        (300, ">=50"),
    ],
)
def test_sentence_length_buckets(length, label):
    assert bucket_label(length, SENTENCE_LENGTH_BUCKETS) == label


def test_length_outside_all_buckets_is_an_error():
    with pytest.raises(ValueError, match="length 0"):
        bucket_label(0, ENTITY_LENGTH_BUCKETS)


def test_ner_by_entity_length():
    tokens = ["w"] * 30
    gold = Annotated(tokens, [(0, 1, "A"), (2, 5, "A"), (10, 22, "B")], [])
    # Length 1 right; a length-4 entity instead of the length-3 one; length 12 right, typed wrong.
    predicted = Annotated(tokens, [(0, 1, "A"), (2, 6, "A"), (10, 22, "A")], [])
    counts = ner_counts_by_entity_length([gold], [predicted])
    assert list(counts) == [bucket.label for bucket in ENTITY_LENGTH_BUCKETS]
    assert counts["1-2"].micro().f1 == 100.0
    assert (sum(counts["3-4"].gold.values()), sum(counts["3-4"].predicted.values())) == (1, 1)
    assert counts["3-4"].micro().f1 == 0.0
    assert sum(counts[">10"].true_positives.values()) == 0
    assert sum(counts["5-6"].gold.values()) == 0


def test_counts_by_sentence_length():
    short = Annotated(["w"] * 5, [(0, 1, "A"), (2, 3, "A")], [(0, 1, "R")])
    long = Annotated(["w"] * 25, [(0, 1, "A"), (2, 3, "A")], [(0, 1, "R")])
    long_predicted = Annotated(["w"] * 25, [(0, 1, "A"), (2, 3, "B")], [(0, 1, "R")])
    counts = counts_by_sentence_length([short, long], [short, long_predicted])
    assert list(counts) == [bucket.label for bucket in SENTENCE_LENGTH_BUCKETS]
    assert counts["0-19"].re_plus.micro().f1 == 100.0
    assert counts["20-34"].ner.micro().f1 == 50.0
    assert counts["20-34"].re.micro().f1 == 100.0
    assert counts["20-34"].re_plus.micro().f1 == 0.0
    assert sum(counts[">=50"].ner.gold.values()) == 0


def test_report_holds_four_tables_with_one_row_per_bucket():
    sentence = Annotated(["w"] * 5, [(0, 2, "A"), (3, 4, "A")], [(0, 1, "R")])
    report = error_analysis_report([sentence], [sentence])
    tables = report.split("\n\n")
    assert [table.splitlines()[0] for table in tables] == [
        "NER by entity length (tokens), micro, %",
        "NER by sentence length (tokens), micro, %",
        "RE (boundary) by sentence length (tokens), micro, %",
        "RE+ (strict) by sentence length (tokens), micro, %",
    ]
    assert len(tables[0].splitlines()) == 2 + len(ENTITY_LENGTH_BUCKETS)
    assert tables[0].splitlines()[2].split() == ["1-2", "2", "2", "2", "100.00", "100.00", "100.00"]
    assert tables[3].splitlines()[2].split()[:4] == ["0-19", "1", "1", "1"]


def test_an_empty_bucket_shows_dashes_where_a_score_is_undefined():
    gold = Annotated(["w"] * 5, [(0, 1, "A")], [])
    predicted = Annotated(["w"] * 5, [(0, 4, "A")], [])
    rows = format_table("t", ner_counts_by_entity_length([gold], [predicted])).splitlines()[2:]
    by_bucket = {row.split()[0]: row.split()[1:] for row in rows}
    assert by_bucket["1-2"] == [
        "1",
        "0",
        "0",
        "-",
        "0.00",
        "0.00",
    ]  # nothing predicted: P undefined
    assert by_bucket["3-4"] == ["0", "1", "0", "0.00", "-", "0.00"]  # nothing gold: R undefined
    assert by_bucket["9-10"] == ["0", "0", "0", "-", "-", "-"]  # empty: nothing defined
