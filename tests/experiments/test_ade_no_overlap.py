"""`python -m stsn_allennlp.experiments.ade_no_overlap`: ADE without overlapping entities."""

import pytest

from stsn_allennlp.data import Entity, read_spert
from stsn_allennlp.experiments.ade_no_overlap import has_overlapping_entities, main
from tests.training_config.layouts import ade_full


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


def test_writes_every_split_without_the_overlapping_sentences(tmp_path, capsys):
    source = ade_full(tmp_path / "ade")
    assert main([str(source), str(tmp_path / "out")]) == 0
    names = [
        (f"ade_split_{fold}_{split}.json", f"ade_no_overlap_split_{fold}_{split}.json")
        for fold in (0, 1)
        for split in ("train", "test")
    ]
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(n for _, n in names)
    dropped = 0
    for original_name, name in names:
        original = read_spert(source / original_name)
        kept = read_spert(tmp_path / "out" / name)
        expected = [s for s in original if not has_overlapping_entities(s.entities)]
        assert [(s.tokens, s.entities, s.relations, s.metadata["orig_id"]) for s in kept] == [
            (s.tokens, s.entities, s.relations, s.metadata["orig_id"]) for s in expected
        ]
        dropped += len(original) - len(kept)
    assert dropped > 0
    assert "dropped" in capsys.readouterr().out


def test_a_folder_without_splits_is_an_error(tmp_path, capsys):
    assert main([str(tmp_path), str(tmp_path / "out")]) == 1
    assert "holds no ade_split" in capsys.readouterr().err


def test_the_shared_ade_loses_its_119_overlapping_sentences(shared_data_prepared):
    """The data command writes these splits with this module (`prepare` calls `write_splits`)."""
    folder = shared_data_prepared.root / "data" / "ade"
    kept = [
        sentence
        for fold in range(10)
        for sentence in read_spert(folder / f"ade_no_overlap_split_{fold}_test.json")
    ]
    assert len(kept) == 4272 - 119
    assert not any(has_overlapping_entities(sentence.entities) for sentence in kept)
