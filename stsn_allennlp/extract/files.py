"""Writing a file so that, whenever the process dies, the file is either whole or absent."""

import os
from pathlib import Path

TEMPORARY_PREFIX = ".tmp-"
"""What the name of a file being written starts with, beside the file it becomes."""


def write_atomically(path: Path, data: bytes) -> None:
    """
    Writes `data` to a temporary file beside `path`, flushes and fsyncs it, renames it to `path`
    (atomic on POSIX) and fsyncs the folder, so that the rename itself survives a crash.

    # Parameters

    path : `Path`
        The file to (re)write.
    data : `bytes`
        Its whole content.
    """
    temporary = path.with_name(TEMPORARY_PREFIX + path.name)
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
