"""The shards on Ray: an actor pool of model holders, the driver writing shards and manifest.

Ray is optional (`pip install -r requirements-ray.txt`). Each actor reserves `threads` CPUs and
loads the model from the archive's bytes, which the driver puts into Ray's object store once: the
nodes of a cluster need this package and its requirements installed, but no copy of the archive
or of the inputs. Output and resuming are the local runners': the driver cuts the shards, sends
each to an actor, and writes what comes back.
"""

import os
import tempfile
from dataclasses import replace
from typing import Any

from stsn_allennlp.extract.settings import LOCAL_RAY, ExtractSettings
from stsn_allennlp.extract.worker import ShardResult, ShardTask, ShardWorker


class RayMissingError(RuntimeError):
    """`--ray` without Ray installed."""

    def __init__(self) -> None:
        super().__init__("--ray needs Ray: pip install -r requirements-ray.txt")


class ModelHolder:
    """
    A Ray actor's state: a `ShardWorker` loaded from the archive's bytes.

    # Parameters

    settings : `ExtractSettings`
        The extraction's settings (its archive path is the driver's, not used here).
    archive : `bytes`
        The model archive's content.
    threads : `int`
        torch threads.
    """

    def __init__(self, settings: ExtractSettings, archive: bytes, threads: int) -> None:
        with tempfile.TemporaryDirectory(prefix="stsn_extract_") as folder:
            path = os.path.join(folder, "model.tar.gz")
            with open(path, "wb") as file:
                file.write(archive)
            self._worker = ShardWorker(replace(settings, archive=path), threads)

    def run(self, task: ShardTask) -> ShardResult:
        """Predicts a shard."""
        return self._worker.run(task)


def import_ray() -> Any:
    """The `ray` module, or a `RayMissingError`."""
    try:
        import ray
    except ImportError:
        raise RayMissingError() from None
    return ray


class RayRunner:
    """
    `workers` Ray actors each holding the model, two shards per actor in flight. Joins Ray
    (`settings.ray`) unless this process already has, and leaves it on `close` if it joined.

    # Parameters

    settings : `ExtractSettings`
        The extraction's settings; `threads` defaults to the cluster's CPUs divided by `workers`,
        and each actor reserves that many CPUs.
    """

    def __init__(self, settings: ExtractSettings) -> None:
        ray = import_ray()
        from ray.util import ActorPool

        if os.path.isdir(settings.archive):
            raise ValueError(f"--ray needs a model archive file, not a folder: {settings.archive}")
        self._joined = not ray.is_initialized()
        if self._joined:
            address = None if settings.ray == LOCAL_RAY else settings.ray
            ray.init(address=address, include_dashboard=False, log_to_driver=False)
        self.threads = settings.threads_per_worker(int(ray.cluster_resources().get("CPU", 1)))
        with open(settings.archive, "rb") as file:
            archive = ray.put(file.read())
        holder = ray.remote(num_cpus=self.threads)(ModelHolder)
        self._actors = [
            holder.remote(settings, archive, self.threads) for _ in range(settings.workers)
        ]
        self._pool = ActorPool(self._actors)
        self.capacity = 2 * settings.workers
        self._ray = ray

    def submit(self, task: ShardTask) -> None:
        self._pool.submit(lambda actor, shard: actor.run.remote(shard), task)

    def wait(self) -> list[ShardResult]:
        return [self._pool.get_next_unordered()]

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        if self._joined:
            self._ray.shutdown()
