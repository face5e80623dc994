"""Loading a model archive (`model.tar.gz`) with a clear error when the file is damaged.

AllenNLP's `load_archive` extracts the archive with `tarfile`, so a truncated or corrupted file
stops it with whatever the decompressor raises (`EOFError: Compressed file ended before the
end-of-stream marker was reached`, `zlib.error`, `tarfile.ReadError`), naming no file, and leaves
the partly extracted folder behind. `load_stsn_archive` extracts the archive itself, checks it, and
hands the folder to `load_archive`: a damaged archive is a `DamagedArchiveError` that names it.
"""

import gzip
import os
import tarfile
import tempfile
import zlib
from os import PathLike
from typing import Any

from allennlp.common.file_utils import cached_path
from allennlp.models.archival import CONFIG_NAME, Archive, load_archive

# An archive's config names the package's registered model, reader and modules: register them.
import stsn_allennlp.components  # noqa: F401
from stsn_allennlp.archive_encoder import TRAINED_WEIGHTS

DAMAGE = (EOFError, tarfile.TarError, zlib.error, gzip.BadGzipFile)
"""What `tarfile` and `gzip` raise on a truncated or corrupted `tar.gz`."""


class DamagedArchiveError(OSError):
    """
    A model archive that cannot be read: truncated (e.g. an interrupted copy or download),
    corrupted, not a `tar.gz` at all, or without a `config.json`.

    # Parameters

    archive : `str`
        The archive, as the user named it.
    problem : `str`
        What is wrong.
    """

    def __init__(self, archive: str, problem: str) -> None:
        super().__init__(
            f"{archive}: the model archive is damaged ({problem}); copy it again, or re-create "
            "it from its serialization directory"
        )
        self.archive = archive
        self.problem = problem


class MissingArchiveError(FileNotFoundError):
    """
    A folder given as a model that holds neither a model archive nor a loadable serialization
    directory (`config.json` with `weights.th` or `best.th`), e.g. the folder of a run that did not
    finish.

    # Parameters

    folder : `str`
        The folder, as the user named it.
    """

    def __init__(self, folder: str) -> None:
        archive = os.path.join(folder, "model.tar.gz")
        super().__init__(
            f"{folder} holds no model archive: {archive} does not exist, nor are there "
            f"{CONFIG_NAME} and trained weights ({' or '.join(TRAINED_WEIGHTS)}) to load the "
            "folder itself; `allennlp train` writes model.tar.gz when a run finishes"
        )
        self.folder = folder


def extract_archive(archive_file: str | PathLike, folder: str, name: str) -> None:
    """
    Extracts a `tar.gz` model archive into `folder`, reading the compressed stream to its end so
    that a truncated or corrupted file is noticed.

    # Parameters

    archive_file : `Union[str, PathLike]`
        The local archive.
    folder : `str`
        An existing folder to extract into.
    name : `str`
        The archive as the user named it, for the error.

    # Raises

    `DamagedArchiveError` when the file is no readable `tar.gz` or lacks `config.json`.
    """
    try:
        with tarfile.open(archive_file, "r:gz") as archive:
            _extract_all(archive, folder)
            archive.fileobj.read(-1)  # the rest of the stream: its end checks length and CRC
    except DAMAGE as error:
        raise DamagedArchiveError(name, f"{type(error).__name__}: {error}") from error
    if not os.path.isfile(os.path.join(folder, CONFIG_NAME)):
        raise DamagedArchiveError(name, f"it holds no {CONFIG_NAME}")


def _loadable_folder(folder: str) -> bool:
    """Whether a folder is a serialization directory `load_archive` can load."""
    return os.path.isfile(os.path.join(folder, CONFIG_NAME)) and any(
        os.path.isfile(os.path.join(folder, name)) for name in TRAINED_WEIGHTS
    )


def _extract_all(archive: tarfile.TarFile, folder: str) -> None:
    if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4: no member may leave the folder
        archive.extractall(folder, filter="data")
    else:
        archive.extractall(folder)


def load_stsn_archive(
    archive_file: str | PathLike,
    cuda_device: int = -1,
    overrides: str | dict[str, Any] = "",
    weights_file: str | None = None,
) -> Archive:
    """
    AllenNLP's `load_archive`, but a damaged archive is a `DamagedArchiveError` naming it, and
    nothing extracted is left behind. A serialization directory is loaded as it is; a folder that
    is none (no `config.json` and trained weights) is a `MissingArchiveError` naming the archive
    it lacks.

    # Parameters

    archive_file : `Union[str, PathLike]`
        A `model.tar.gz` (a path or a URL) or a serialization directory.
    cuda_device : `int`, optional (default = `-1`)
        The GPU to load the model onto; CPU if negative.
    overrides : `Union[str, Dict[str, Any]]`, optional (default = `""`)
        JSON overrides of the archived config.
    weights_file : `Optional[str]`, optional (default = `None`)
        Weights to load instead of the archive's.
    """
    resolved = cached_path(archive_file)
    if os.path.isdir(resolved):
        if not _loadable_folder(resolved):
            raise MissingArchiveError(str(archive_file))
        return load_archive(resolved, cuda_device, overrides, weights_file)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory(prefix="stsn_archive_") as folder:
        extract_archive(resolved, folder, str(archive_file))
        # AllenNLP types its None default of weights_file as str
        return load_archive(folder, cuda_device, overrides, weights_file)  # type: ignore[arg-type]
