"""Where shards are predicted: in this process, or in local worker processes.

A runner takes shards (`submit`) up to its `capacity` at a time and hands back those finished
(`wait`), in any order: the driver writes each under its own index, so the output does not depend
on the order. `ray_runner.RayRunner` is the same on Ray.
"""

import concurrent.futures
import multiprocessing
from typing import Protocol

import torch

from stsn_allennlp.extract.settings import ExtractSettings, usable_cores
from stsn_allennlp.extract.worker import ShardResult, ShardTask, ShardWorker


class Runner(Protocol):
    """Runs shards on workers that each hold the model."""

    capacity: int
    """The most shards in flight: submitted, not yet handed back by `wait`."""
    threads: int
    """torch threads per worker."""

    def submit(self, task: ShardTask) -> None:
        """Starts predicting a shard."""

    def wait(self) -> list[ShardResult]:
        """Blocks until at least one submitted shard is finished; returns all that are."""

    def close(self) -> None:
        """Stops the workers (shards in flight are dropped)."""


class InProcessRunner:
    """
    One worker in this process: `submit` predicts the shard at once. The worker sets torch's
    thread count for the process; `close` gives the caller its own back.

    # Parameters

    settings : `ExtractSettings`
        The extraction's settings; `threads` defaults to the usable cores.
    """

    capacity = 1

    def __init__(self, settings: ExtractSettings) -> None:
        self.threads = settings.threads_per_worker(usable_cores())
        self._callers_threads = torch.get_num_threads()
        self._worker = ShardWorker(settings, self.threads)
        self._finished: list[ShardResult] = []

    def submit(self, task: ShardTask) -> None:
        self._finished.append(self._worker.run(task))

    def wait(self) -> list[ShardResult]:
        finished, self._finished = self._finished, []
        return finished

    def close(self) -> None:
        self._finished = []
        torch.set_num_threads(self._callers_threads)


_WORKER: ShardWorker | None = None
"""The worker of a worker process, loaded by `_load_worker`."""


def _load_worker(settings: ExtractSettings, threads: int) -> None:
    global _WORKER
    _WORKER = ShardWorker(settings, threads)


def _run_shard(task: ShardTask) -> ShardResult:
    assert _WORKER is not None, "the worker process did not load its model"
    return _WORKER.run(task)


class ProcessPoolRunner:
    """
    `workers` processes (started by `spawn`: nothing of this process's torch state is shared),
    each loading the model once; two shards per worker in flight, so none waits for the next.

    # Parameters

    settings : `ExtractSettings`
        The extraction's settings; `threads` defaults to the usable cores divided by `workers`.
    """

    def __init__(self, settings: ExtractSettings) -> None:
        self.threads = settings.threads_per_worker(usable_cores())
        self.capacity = 2 * settings.workers
        self._pool = concurrent.futures.ProcessPoolExecutor(
            settings.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load_worker,
            initargs=(settings, self.threads),
        )
        self._pending: set[concurrent.futures.Future[ShardResult]] = set()

    def submit(self, task: ShardTask) -> None:
        self._pending.add(self._pool.submit(_run_shard, task))

    def wait(self) -> list[ShardResult]:
        finished, self._pending = concurrent.futures.wait(
            self._pending, return_when=concurrent.futures.FIRST_COMPLETED
        )
        return [future.result() for future in finished]

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


def start_runner(settings: ExtractSettings) -> Runner:
    """
    The runner the settings ask for: Ray with `ray`, else worker processes with `workers` > 1,
    else this process.

    # Parameters

    settings : `ExtractSettings`
        The extraction's settings.
    """
    if settings.ray is not None:
        from stsn_allennlp.extract.ray_runner import RayRunner

        return RayRunner(settings)
    if settings.workers > 1:
        return ProcessPoolRunner(settings)
    return InProcessRunner(settings)
