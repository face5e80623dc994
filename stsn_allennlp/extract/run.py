"""The driver of an extraction: cuts the input into shards, skips those already done, hands the
others to a runner and writes what comes back, shard file first, then the manifest."""

import os
import sys
from pathlib import Path
from typing import TextIO

from stsn_allennlp.extract.manifest import Manifest
from stsn_allennlp.extract.progress import Progress, Summary
from stsn_allennlp.extract.ray_runner import import_ray
from stsn_allennlp.extract.runners import Runner, start_runner
from stsn_allennlp.extract.settings import ExtractSettings
from stsn_allennlp.extract.shards import cut_shards, write_shard
from stsn_allennlp.extract.sources import read_records


def extract(
    settings: ExtractSettings, stream: TextIO = sys.stderr, progress: bool | None = None
) -> Summary:
    """
    Extracts entities and relations from the inputs into `settings.output_dir`, resuming the
    run of the same command there if there is one. The model is loaded only if a shard is left
    to do; a finished folder is not read again.

    # Parameters

    settings : `ExtractSettings`
        What to run.
    stream : `TextIO`, optional (default = `sys.stderr`)
        Where the progress bar goes.
    progress : `bool`, optional (default = `None`)
        Draw the progress bar; `None`: when `stream` is a terminal.

    # Raises

    `FileNotFoundError` for a missing model or input; `manifest.OutputMismatchError` when the
    folder holds another command's output; `manifest.OutputBusyError` when another process
    writes to it; `ray_runner.RayMissingError` for `--ray` without Ray.
    """
    for path in (settings.archive, *settings.inputs):
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path}: no such file")
    if settings.ray is not None:
        import_ray()  # before the output folder is touched
    folder = Path(settings.output_dir)
    manifest = Manifest.open(folder, settings.command(), settings.overwrite)
    bar = Progress(sum(os.path.getsize(path) for path in settings.inputs), stream, progress)
    try:
        if manifest.finished:
            for entry in manifest.shards.values():
                bar.resumed(entry, 0)
        else:
            _run(settings, manifest, bar)
            manifest.finish()
    finally:
        manifest.close()
        summary = bar.close(str(folder))
    return summary


def _run(settings: ExtractSettings, manifest: Manifest, bar: Progress) -> None:
    """Every shard not in the manifest, predicted and written."""
    runner: Runner | None = None
    in_flight: dict[int, int] = {}  # shard index -> its input bytes

    def collect(busy: Runner) -> None:
        for result in busy.wait():
            entry = write_shard(manifest.folder, result, settings.compress)
            manifest.add(entry)
            bar.finished(entry, in_flight.pop(result.index))

    try:
        records = read_records(settings.inputs, settings.input_format, settings.text_format)
        for shard in cut_shards(records, settings.shard_size):
            index, span = shard.task.index, shard.end - shard.start
            if index in manifest.shards:
                bar.resumed(manifest.shards[index], span)
                continue
            runner = runner or start_runner(settings)
            while len(in_flight) >= runner.capacity:
                collect(runner)
            runner.submit(shard.task)
            in_flight[index] = span
        while runner is not None and in_flight:
            collect(runner)
    finally:
        if runner is not None:
            runner.close()
