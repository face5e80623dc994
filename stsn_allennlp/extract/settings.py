"""What an extraction is started with, and which of it decides the output."""

import os
from dataclasses import dataclass
from typing import Any

from stsn_allennlp.extract.sources import INPUT_FORMATS, TEXT_FORMATS, record_kind

LOCAL_RAY = "local"
"""`--ray` without an address: start a Ray instance on this machine (Ray's own name for it)."""


@dataclass(frozen=True)
class ExtractSettings:
    """
    The settings of one extraction.

    # Parameters

    archive : `str`
        The model archive (`model.tar.gz`) or serialization directory.
    inputs : `Tuple[str, ...]`
        The input files, in order.
    output_dir : `str`
        Where the shards and `manifest.json` go.
    input_format : `str`, optional (default = `"auto"`)
        `"jsonl"`, `"text"`, or `"auto"`: by the file's name (see `sources.INPUT_FORMATS`).
    text_format : `str`, optional (default = `"line"`)
        A plain-text file holds one document per line (`"line"`) or is one document (`"file"`).
    shard_size : `int`, optional (default = `200`)
        Input records per shard: the unit of work handed to a worker, of output files, and of
        what a restart may redo.
    window : `int`, optional (default = `64`)
        Input records whose sentences are sorted by length together, within a shard.
    batch_size : `int`, optional (default = `8`)
        The most sentences per forward pass.
    compress : `bool`, optional (default = `False`)
        Write `shard-NNNNN.jsonl.gz` instead of `shard-NNNNN.jsonl`.
    cuda_device : `int`, optional (default = `-1`)
        The GPU each worker runs on; CPU if negative.
    workers : `int`, optional (default = `1`)
        Worker processes (or Ray actors), each with its own model; 1 runs in this process.
    threads : `int`, optional (default = `None`)
        torch threads per worker; `None`: the usable cores (Ray: the cluster's CPUs) divided by
        `workers`, at least 1.
    ray : `str`, optional (default = `None`)
        Run the workers as Ray actors: `"local"` (a Ray instance on this machine, or the one this
        process already joined), `"auto"` (the cluster this machine belongs to) or
        `"ray://HEAD:10001"` (a cluster's client server). `None`: no Ray.
    overwrite : `bool`, optional (default = `False`)
        Replace the output of another command in `output_dir` instead of stopping.
    """

    archive: str
    inputs: tuple[str, ...]
    output_dir: str
    input_format: str = "auto"
    text_format: str = "line"
    shard_size: int = 200
    window: int = 64
    batch_size: int = 8
    compress: bool = False
    cuda_device: int = -1
    workers: int = 1
    threads: int | None = None
    ray: str | None = None
    overwrite: bool = False

    def __post_init__(self) -> None:
        for name in ("shard_size", "window", "batch_size", "workers"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if self.threads is not None and self.threads < 1:
            raise ValueError(f"threads must be positive, got {self.threads}")
        if self.input_format not in INPUT_FORMATS or self.text_format not in TEXT_FORMATS:
            raise ValueError(
                f"input_format must be one of {INPUT_FORMATS} and text_format one of "
                f"{TEXT_FORMATS}, got {self.input_format!r} and {self.text_format!r}"
            )
        if not self.inputs:
            raise ValueError("no input file given")

    def threads_per_worker(self, cores: int) -> int:
        """
        torch threads for each worker: `threads`, or `cores // workers`, at least 1.

        # Parameters

        cores : `int`
            The CPUs the workers share.
        """
        return self.threads or max(1, cores // self.workers)

    def command(self) -> dict[str, Any]:
        """
        What decides the output, as the manifest records it: the model and each input file (by
        absolute path, size and modification time) and the options that change what is written.
        A restart must match it; the workers, threads, Ray and the device may differ.
        """
        return {
            "model": _file_facts(self.archive),
            "inputs": [
                {**_file_facts(path), "format": record_kind(path, self.input_format)}
                for path in self.inputs
            ],
            "options": {
                "text_format": self.text_format,
                "shard_size": self.shard_size,
                "window": self.window,
                "batch_size": self.batch_size,
                "compress": self.compress,
            },
        }


def usable_cores() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _file_facts(path: str) -> dict[str, Any]:
    status = os.stat(path)
    return {"path": os.path.abspath(path), "size": status.st_size, "mtime_ns": status.st_mtime_ns}
