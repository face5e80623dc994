"""`stsn_allennlp.core.ade_no_overlap`: ADE without overlapping entities."""

import pytest

from stsn_allennlp.core import Entity, read_spert
from stsn_allennlp.core.ade_no_overlap import has_overlapping_entities


@pytest.mark.parametrize(
    "spans, overlapping",
    [
        ([], False),
        ([(0, 2), (2, 3)], False),
        ([(0, 2), (1, 3)], True),
        ([(0, 3), (1, 2)], True),
        ([(4, 5), (0, 1), (2, 5)], True),
        ([(1, 2), (1, 2)], False),  # one span with two types is one mention
    ],
)
def test_overlap_means_two_spans_share_a_token(spans, overlapping):
    entities = [Entity(start, end, f"T{index}") for index, (start, end) in enumerate(spans)]
    assert has_overlapping_entities(entities) == overlapping


def test_the_shared_ade_loses_its_119_overlapping_sentences(shared_data_prepared):
    """The data command writes these splits with `write_splits`."""
    folder = shared_data_prepared.root / "data" / "ade"
    kept = [
        sentence
        for fold in range(10)
        for sentence in read_spert(folder / f"ade_no_overlap_split_{fold}_test.json")
    ]
    assert len(kept) == 4272 - 119
    assert not any(has_overlapping_entities(sentence.entities) for sentence in kept)
