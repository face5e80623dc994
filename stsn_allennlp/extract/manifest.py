"""`manifest.json`: what an output folder holds, so that a run can be resumed and never mixed.

The manifest records the command (`ExtractSettings.command`: the model, the input files, the
options that change the output), each finished shard (`ShardEntry`: its file, counts, size and
SHA-256), and whether the whole input was done (`finished`, then `totals`). It is rewritten
atomically after each shard (`files.write_atomically`), after the shard's own file: so a shard
it lists is on disk, whole, whenever the process was killed.

`Manifest.open` starts or resumes: the same command resumes, skipping the shards whose files are
intact (size and SHA-256; another is done again); another command stops with an
`OutputMismatchError` unless told to `overwrite`. One process at a time may write a folder (an
exclusive `flock` on it, which the kernel drops when the process dies, SIGKILL included).
"""

import fcntl
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from stsn_allennlp.extract.files import TEMPORARY_PREFIX, write_atomically
from stsn_allennlp.extract.shards import PREFIX, ShardEntry, intact

MANIFEST = "manifest.json"
FORMAT = "stsn-extract/1"


class OutputMismatchError(RuntimeError):
    """
    An output folder that holds the output of another command (other inputs, model or options),
    or shards without a manifest.

    # Parameters

    folder : `Path`
        The output folder.
    differences : `str`
        What differs.
    """

    def __init__(self, folder: Path, differences: str) -> None:
        super().__init__(
            f"{folder} holds the output of another command ({differences}): run that command "
            "again to finish it, choose another output folder, or pass --overwrite to start over"
        )


class OutputBusyError(RuntimeError):
    """An output folder another process is writing to."""

    def __init__(self, folder: Path) -> None:
        super().__init__(f"{folder}: another extraction is writing to this folder")


class Manifest:
    """
    The manifest of an output folder, open for writing; build it with `Manifest.open`.

    # Parameters

    folder : `Path`
        The output folder.
    command : `Dict[str, Any]`
        `ExtractSettings.command()`.
    shards : `Dict[int, ShardEntry]`
        The finished shards, by index.
    finished : `bool`
        Whether the whole input was done.
    lock : `int`
        The folder's descriptor holding the lock.
    """

    def __init__(
        self,
        folder: Path,
        command: dict[str, Any],
        shards: dict[int, ShardEntry],
        finished: bool,
        lock: int,
    ) -> None:
        self.folder = folder
        self.command = command
        self.shards = shards
        self.finished = finished
        self._lock = lock

    @classmethod
    def open(cls, folder: Path, command: dict[str, Any], overwrite: bool = False) -> "Manifest":
        """
        Opens an output folder (made if absent) for `command`: a new manifest, or the folder's
        own when it was written by the same command, with its finished shards whose files are
        intact. Leftover temporary files are removed.

        # Parameters

        folder : `Path`
            The output folder.
        command : `Dict[str, Any]`
            `ExtractSettings.command()`.
        overwrite : `bool`, optional (default = `False`)
            Remove another command's manifest and shards instead of stopping.

        # Raises

        `OutputMismatchError` for another command's output, `OutputBusyError` when another
        process holds the folder.
        """
        folder.mkdir(parents=True, exist_ok=True)
        lock = os.open(folder, os.O_RDONLY)
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OutputBusyError(folder) from None
            for leftover in folder.glob(TEMPORARY_PREFIX + "*"):
                leftover.unlink()
            manifest = cls._read(folder, command, overwrite, lock)
        except BaseException:
            os.close(lock)
            raise
        manifest.save()
        return manifest

    @classmethod
    def _read(cls, folder: Path, command: dict[str, Any], overwrite: bool, lock: int) -> "Manifest":
        path = folder / MANIFEST
        ours = [*folder.glob(PREFIX + "*"), *([path] if path.exists() else [])]
        stored = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        if overwrite:
            for file in ours:
                file.unlink()
        elif stored is None and ours:
            raise OutputMismatchError(folder, f"shard files but no {MANIFEST}")
        elif stored is not None and stored.get("command") != command:
            raise OutputMismatchError(folder, differences(stored.get("command") or {}, command))
        if overwrite or stored is None:
            return cls(folder, command, {}, False, lock)
        entries = (ShardEntry(**entry) for entry in stored["shards"])
        shards = {entry.index: entry for entry in entries if intact(folder, entry)}
        finished = stored["finished"] and len(shards) == len(stored["shards"])
        return cls(folder, command, shards, finished, lock)

    def add(self, entry: ShardEntry) -> None:
        """
        Records a finished shard (its file already written) and saves the manifest.

        # Parameters

        entry : `ShardEntry`
            The shard.
        """
        self.shards[entry.index] = entry
        self.save()

    def finish(self) -> None:
        """Marks the whole input done, with its totals, and saves the manifest."""
        self.finished = True
        self.save()

    def totals(self) -> dict[str, int]:
        """The finished shards' counts added up, and their number."""
        keys = ("inputs", "records", "sentences", "errors")
        return {
            "shards": len(self.shards),
            **{key: sum(getattr(entry, key) for entry in self.shards.values()) for key in keys},
        }

    def save(self) -> None:
        """Rewrites `manifest.json` atomically."""
        content: dict[str, Any] = {
            "format": FORMAT,
            "command": self.command,
            "shards": [asdict(self.shards[index]) for index in sorted(self.shards)],
            "finished": self.finished,
        }
        if self.finished:
            content["totals"] = self.totals()
        data = json.dumps(content, indent=1) + "\n"
        write_atomically(self.folder / MANIFEST, data.encode("utf-8"))

    def close(self) -> None:
        """Releases the folder."""
        os.close(self._lock)


def differences(stored: dict[str, Any], command: dict[str, Any]) -> str:
    """
    What differs between a stored command and this one, in a few words.

    # Parameters

    stored : `Dict[str, Any]`
        The manifest's command.
    command : `Dict[str, Any]`
        This run's.
    """
    found = []
    if stored.get("model") != command["model"]:
        found.append("another model, or the model file changed")
    old_inputs = {item["path"]: item for item in stored.get("inputs", [])}
    new_inputs = {item["path"]: item for item in command["inputs"]}
    if list(old_inputs) != list(new_inputs):
        found.append("other input files, or in another order")
    else:
        changed = [path for path in new_inputs if old_inputs[path] != new_inputs[path]]
        found += [f"{path} changed (size, time or format)" for path in changed]
    old_options, new_options = stored.get("options", {}), command["options"]
    found += [
        f"{name} {old_options.get(name)!r}, now {value!r}"
        for name, value in new_options.items()
        if old_options.get(name) != value
    ]
    return "; ".join(found) or "another manifest format"
