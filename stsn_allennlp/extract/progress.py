"""A run's progress bar (on stderr, when it is a terminal) and its summary.

Progress is measured in input bytes (compressed bytes for a `.gz`): the files' sizes are known
before a record is read, so the share done and an ETA are shown from the first finished shard on,
with this run's rate in sentences per second.
"""

import shutil
import sys
import time
from dataclasses import dataclass
from typing import TextIO

from stsn_allennlp.extract.shards import ShardEntry

DRAW_INTERVAL = 0.2
"""Seconds between two redraws of the bar."""


@dataclass(frozen=True)
class Summary:
    """
    What an output folder holds after a run, and what the run did.

    # Parameters

    folder : `str`
        The output folder.
    inputs : `int`
        Input records, all shards.
    sentences : `int`
        Sentence records, all shards.
    errors : `int`
        Error records, all shards.
    shards : `int`
        Shards written.
    resumed : `int`
        Shards an earlier run had finished.
    run_sentences : `int`
        Sentences predicted by this run.
    seconds : `float`
        This run's time, model loading included.
    """

    folder: str
    inputs: int
    sentences: int
    errors: int
    shards: int
    resumed: int
    run_sentences: int
    seconds: float

    def describe(self) -> str:
        """The summary line."""
        done = (
            f"{self.folder}: {self.inputs:,} input records, {self.sentences:,} sentences, "
            f"{self.errors:,} errors, {self.shards:,} shards ({self.resumed:,} done before)"
        )
        if self.resumed == self.shards:
            return f"{done}; nothing left to predict"
        rate = self.run_sentences / self.seconds if self.seconds > 0 else 0.0
        return (
            f"{done}; this run: {self.run_sentences:,} sentences in {self.seconds:.1f} s, "
            f"{rate:.1f} sentences/s"
        )


class Progress:
    """
    Counts finished shards and draws the bar.

    # Parameters

    total_bytes : `int`
        The input files' sizes added up.
    stream : `TextIO`, optional (default = `sys.stderr`)
        Where the bar goes.
    enabled : `bool`, optional (default = `None`)
        Draw the bar; `None`: when `stream` is a terminal.
    """

    def __init__(
        self, total_bytes: int, stream: TextIO = sys.stderr, enabled: bool | None = None
    ) -> None:
        self._total = total_bytes
        self._stream = stream
        self._enabled = stream.isatty() if enabled is None else enabled
        self._start = time.monotonic()
        self._drawn = 0.0
        self._done_bytes = self._run_bytes = 0
        self._entries: list[ShardEntry] = []
        self._resumed = self._run_sentences = 0

    def resumed(self, entry: ShardEntry, span: int) -> None:
        """
        Counts a shard an earlier run finished.

        # Parameters

        entry : `ShardEntry`
            The shard.
        span : `int`
            Its input bytes.
        """
        self._entries.append(entry)
        self._resumed += 1
        self._done_bytes += span

    def finished(self, entry: ShardEntry, span: int) -> None:
        """
        Counts a shard this run finished, and redraws the bar.

        # Parameters

        entry : `ShardEntry`
            The shard.
        span : `int`
            Its input bytes.
        """
        self._entries.append(entry)
        self._run_sentences += entry.sentences
        self._done_bytes += span
        self._run_bytes += span
        if self._enabled and time.monotonic() - self._drawn >= DRAW_INTERVAL:
            self._draw()

    def close(self, folder: str) -> Summary:
        """
        Ends the bar's line; returns the summary.

        # Parameters

        folder : `str`
            The output folder, for the summary.
        """
        if self._enabled and self._drawn:
            self._draw()
            print(file=self._stream, flush=True)
        return Summary(
            folder=folder,
            inputs=sum(entry.inputs for entry in self._entries),
            sentences=sum(entry.sentences for entry in self._entries),
            errors=sum(entry.errors for entry in self._entries),
            shards=len(self._entries),
            resumed=self._resumed,
            run_sentences=self._run_sentences,
            seconds=time.monotonic() - self._start,
        )

    def _draw(self) -> None:
        self._drawn = time.monotonic()
        elapsed = self._drawn - self._start
        parts = [
            f"{len(self._entries):,} shards",
            f"{sum(entry.sentences for entry in self._entries):,} sentences",
            f"{self._run_sentences / elapsed:.1f} sentences/s",
        ]
        if self._total:
            share = min(self._done_bytes / self._total, 1.0)
            parts.insert(0, f"{100 * share:5.1f}%")
            if self._run_bytes:
                remaining = (self._total - self._done_bytes) * elapsed / self._run_bytes
                parts.append(f"ETA {_duration(max(remaining, 0.0))}")
        width = shutil.get_terminal_size().columns - 1
        self._stream.write("\r" + " | ".join(parts)[:width].ljust(width))
        self._stream.flush()


def _duration(seconds: float) -> str:
    minutes, second = divmod(int(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}"
