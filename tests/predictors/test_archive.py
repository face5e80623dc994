"""Model archives: a damaged `model.tar.gz` is an error naming it, a good one loads."""

import io
import os
import tarfile
import tempfile

import pytest

from stsn_allennlp.data.fields import ENTITY_NAMESPACE
from stsn_allennlp.predictors import (
    DamagedArchiveError,
    MissingArchiveError,
    StsnPredictor,
    load_stsn_archive,
)
from tests import FIXTURES
from tests.conftest import archive_untrained_model


def write_tar_gz(path, members):
    """A `tar.gz` of `members` (name: bytes); random weights keep it from compressing away."""
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def truncated_copy(source, target, keep):
    """`target` holds the first `keep` bytes of `source` (a negative `keep` cuts from the end)."""
    target.write_bytes(source.read_bytes()[:keep])
    return target


@pytest.fixture
def fake_archive(tmp_path):
    members = {"config.json": b'{"model": {"type": "stsn"}}', "weights.th": os.urandom(100_000)}
    return write_tar_gz(tmp_path / "fake.tar.gz", members)


@pytest.fixture
def private_tempdir(tmp_path, monkeypatch):
    """Temporary folders go to a folder of the test's own, to see that none is left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("keep", [10, 1000, 50_000, -300, -4], ids=lambda keep: f"keep{keep}")
def test_a_truncated_archive_is_named_and_said_damaged(
    tmp_path, fake_archive, private_tempdir, keep
):
    damaged = truncated_copy(fake_archive, tmp_path / "model.tar.gz", keep)
    with pytest.raises(DamagedArchiveError, match=f"{damaged}: the model archive is damaged") as e:
        load_stsn_archive(damaged)
    assert e.value.archive == str(damaged)
    assert list(private_tempdir.iterdir()) == []  # nothing partly extracted is left behind


def test_a_file_that_is_no_archive_or_holds_no_config_is_damaged(tmp_path):
    text = tmp_path / "text.tar.gz"
    text.write_text("not an archive")
    with pytest.raises(DamagedArchiveError, match=r"text\.tar\.gz: .*damaged \(ReadError"):
        load_stsn_archive(text)
    empty = write_tar_gz(tmp_path / "empty.tar.gz", {"weights.th": b"0"})
    with pytest.raises(
        DamagedArchiveError, match=r"empty\.tar\.gz: .*damaged \(it holds no config"
    ):
        load_stsn_archive(empty)


def test_the_predictor_names_a_truncated_model_archive(tmp_path, archive):
    damaged = truncated_copy(archive, tmp_path / "model.tar.gz", archive.stat().st_size // 2)
    with pytest.raises(DamagedArchiveError, match=f"{damaged}: the model archive is damaged"):
        StsnPredictor.from_path(damaged)


def test_a_good_archive_loads_into_the_stsn_predictor(archive, private_tempdir):
    predictor = StsnPredictor.from_path(archive, batch_size=4)
    assert isinstance(predictor, StsnPredictor) and predictor.batch_size == 4
    assert predictor.predict(tokens=["Mary", "lives", "in", "Paris"])["tokens"][0] == "Mary"
    assert list(private_tempdir.iterdir()) == []
    assert load_stsn_archive(archive.parent).model.vocab.get_vocab_size(ENTITY_NAMESPACE) > 1


def test_a_run_folder_without_an_archive_names_the_missing_archive(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "config.json").write_text('{"model": {"type": "stsn"}}')  # a run that never finished
    with pytest.raises(MissingArchiveError, match=f"{run}/model.tar.gz does not exist"):
        StsnPredictor.from_path(run)


def test_an_archive_with_word_shapes_predicts_raw_text(tmp_path):
    config = tmp_path / "config.jsonnet"
    config.write_text(f'(import "{FIXTURES / "stsn_fixture.jsonnet"}") + {{word_shape_dim:: 4}}')
    predictor = StsnPredictor.from_path(archive_untrained_model(config, tmp_path), "stsn")
    output = predictor.predict(sentence="Ann met Bob in Paris.")
    assert output["tokens"] == ["Ann", "met", "Bob", "in", "Paris", "."]
    assert predictor._model.text_field_embedder.get_output_dim() == 32 + 4
