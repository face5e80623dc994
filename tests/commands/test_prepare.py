"""`python -m stsn_allennlp.data.prepare`: CoNLL04, ADE (with its split without overlaps) and ACE05
put where the configs read them."""

import json

import pytest

from stsn_allennlp.commands.prepare import main
from stsn_allennlp.core.ade_no_overlap import has_overlapping_entities
from stsn_allennlp.core.prepare import CONLL04_CV_FOLDS
from stsn_allennlp.data import read_spert
from tests.training_config.layouts import NUM_FOLDS, ace05, conll04, spert_datasets

ADE_SPLITS = [
    f"ade_split_{fold}_{split}.json" for fold in range(NUM_FOLDS) for split in ("train", "test")
]


def test_puts_conll04_and_ade_from_a_spert_folder_and_writes_ade_without_overlaps(tmp_path, capsys):
    source = spert_datasets(tmp_path / "spert")
    data = tmp_path / "data"
    assert main(["--from", str(source), "--to", str(data)]) == 0

    for name in ("conll04_train.json", "conll04_dev.json"):
        assert (data / "conll04" / name).read_bytes() == (source / "conll04" / name).read_bytes()
    cv_folds = [
        f"conll04_cv_{fold}_{part}.json"
        for fold in range(CONLL04_CV_FOLDS)
        for part in ("train", "test")
    ]
    assert sorted(path.name for path in (data / "conll04").iterdir()) == sorted(
        ["conll04_dev.json", "conll04_train.json", *cv_folds]
    )
    no_overlap = [name.replace("ade_split", "ade_no_overlap_split") for name in ADE_SPLITS]
    assert sorted(path.name for path in (data / "ade").iterdir()) == sorted(ADE_SPLITS + no_overlap)
    dropped = 0
    for name, filtered in zip(ADE_SPLITS, no_overlap):
        assert (data / "ade" / name).read_bytes() == (source / "ade" / name).read_bytes()
        original, kept = read_spert(source / "ade" / name), read_spert(data / "ade" / filtered)
        expected = [s for s in original if not has_overlapping_entities(s.entities)]
        assert [(s.tokens, s.entities, s.relations) for s in kept] == [
            (s.tokens, s.entities, s.relations) for s in expected
        ]
        dropped += len(original) - len(kept)
    assert dropped > 0  # the fixture sentences hold overlaps

    out = capsys.readouterr().out
    assert f"{data / 'conll04' / 'conll04_train.json'}: " in out
    assert f"{data / 'ade' / 'ade_no_overlap_split_{fold}_test.json'}: {NUM_FOLDS} files" in out
    for config in ("conll04", "conll04_cv", "ade", "ade_full"):
        assert f"allennlp train training_config/{config}.jsonnet -s runs/{config}" in out


def test_writes_into_data_of_the_working_directory_by_default_and_again_without_harm(
    tmp_path, monkeypatch
):
    source = spert_datasets(tmp_path / "spert")
    monkeypatch.chdir(tmp_path)
    assert main(["--from", str(source)]) == 0
    first = {path: path.read_bytes() for path in (tmp_path / "data").rglob("*.json")}
    assert main(["--from", str(source)]) == 0
    assert {path: path.read_bytes() for path in (tmp_path / "data").rglob("*.json")} == first
    assert {path.parent.name for path in first} == {"conll04", "ade"}


def test_copies_the_conll04_test_split_when_there_is_one(tmp_path):
    source = tmp_path / "spert"
    conll04(source / "conll04")
    (source / "conll04" / "conll04_test.json").write_bytes(
        (source / "conll04" / "conll04_dev.json").read_bytes()
    )
    assert main(["--from", str(source), "--to", str(tmp_path / "data")]) == 0
    assert (tmp_path / "data" / "conll04" / "conll04_test.json").is_file()
    assert not (tmp_path / "data" / "ade").exists()  # absent from the source: skipped


def test_puts_ace05_from_dygie_files(tmp_path, capsys):
    source = ace05(tmp_path / "processed-data" / "json")
    assert main(["--ace05", str(source), "--to", str(tmp_path / "data")]) == 0
    for name in ("train.json", "dev.json", "test.json"):
        assert (tmp_path / "data" / "ace05" / name).read_bytes() == (source / name).read_bytes()
    assert "allennlp train training_config/ace05.jsonnet" in capsys.readouterr().out


@pytest.mark.parametrize(
    "broken, message",
    [
        ("conll04/conll04_dev.json", "lacks conll04_dev.json"),
        ("conll04/conll04_train.json", "conll04_train.json, record 0"),
        ("ace05/dev.json", "dev.json"),
    ],
    ids=["missing-split", "malformed-spert", "malformed-dygie"],
)
def test_a_missing_or_malformed_file_stops_it_before_that_data_set_is_copied(
    broken, message, tmp_path, capsys
):
    source = tmp_path / "spert"
    conll04(source / "conll04")
    ace05(source / "ace05")
    path = source / broken
    if message.startswith("lacks"):
        path.unlink()
    else:
        path.write_text(json.dumps([{"tokens": []}]) if "conll04" in broken else "{not json\n")
    data = tmp_path / "data"
    assert main(["--from", str(source), "--ace05", str(source / "ace05"), "--to", str(data)]) == 1
    assert message in capsys.readouterr().err
    assert not (data / broken.split("/")[0]).exists()


def test_a_folder_without_data_sets_is_an_error(tmp_path, capsys):
    assert main(["--from", str(tmp_path), "--to", str(tmp_path / "data")]) == 1
    assert "holds neither conll04/ nor ade/" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([])  # nothing to prepare
    assert "give --from SOURCE_DIR" in capsys.readouterr().err


def test_the_shared_data_gives_the_papers_sizes(shared_data_prepared):
    out, data = shared_data_prepared.output, shared_data_prepared.root / "data"
    assert f"{data / 'conll04' / 'conll04_train.json'}: 922 sentences" in out
    assert f"{data / 'conll04' / 'conll04_dev.json'}: 231 sentences" in out
    assert f"{data / 'ade' / 'ade_split_{fold}_test.json'}: 10 files, 4272 sentences" in out
    # without the 119 sentences that hold overlapping entities
    assert f"{data / 'ade' / 'ade_no_overlap_split_{fold}_test.json'}: 10 files, 4153" in out
