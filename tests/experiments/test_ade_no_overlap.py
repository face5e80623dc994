"""`python -m stsn_allennlp.experiments.ade_no_overlap`: ADE without overlapping entities."""

from stsn_allennlp.commands.ade_no_overlap import main
from stsn_allennlp.core import read_spert
from stsn_allennlp.core.ade_no_overlap import has_overlapping_entities
from tests.training_config.layouts import ade_full


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
