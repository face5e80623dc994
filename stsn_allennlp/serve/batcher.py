"""Batching the requests that arrive together into one model call.

Requests wait in a queue; the batcher takes the first, waits `wait` seconds for others to join,
and runs all it took (at most `max_sentences` sentences, a larger request alone) through the
predictor in one call, on one thread beside the event loop, so the server keeps answering while
the model runs. A request whose caller stopped waiting (its time limit) is dropped from the queue
before its model call.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]
Predict = Callable[[list[JsonDict]], list[JsonDict]]


@dataclass
class _Job:
    inputs: list[JsonDict]
    sentences: int
    future: asyncio.Future = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class Batcher:
    """
    Runs the inputs of concurrent requests through `predict` together, in arrival order.

    # Parameters

    predict : `Callable[[List[JsonDict]], List[JsonDict]]`
        The predictor's `predict_batch_json`: one output per input, in order.
    max_sentences : `int`
        The most sentences one call takes (a request with more runs alone).
    wait : `float`
        Seconds to wait after the first request of a call for others to join it.
    """

    def __init__(self, predict: Predict, max_sentences: int, wait: float) -> None:
        self._predict = predict
        self._max_sentences = max_sentences
        self._wait = wait
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._carried: _Job | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stsn-model")
        self._task: asyncio.Task | None = None
        self.model_calls = 0
        self.sentences = 0

    @property
    def queued(self) -> int:
        """The requests waiting for a model call."""
        return self._queue.qsize() + (self._carried is not None)

    def start(self) -> None:
        """Starts taking requests (in the running event loop)."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stops taking requests; a model call under way finishes on its thread."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self._executor.shutdown(wait=False, cancel_futures=True)

    def submit(self, inputs: list[JsonDict], sentences: int) -> asyncio.Future:
        """
        Queues the inputs of one request; the future's result is their outputs, in order.

        # Parameters

        inputs : `List[JsonDict]`
            The request's predictor inputs.
        sentences : `int`
            How many sentences they hold, for the cap of a call.
        """
        job = _Job(inputs, sentences)
        self._queue.put_nowait(job)
        return job.future

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            jobs = [job for job in await self._next_jobs() if not job.future.done()]
            if not jobs:
                continue
            inputs = [item for job in jobs for item in job.inputs]
            try:
                outputs = await loop.run_in_executor(self._executor, self._predict, inputs)
            except Exception as error:  # the model failed: every request of the call learns why
                for job in jobs:
                    if not job.future.done():
                        job.future.set_exception(error)
                continue
            self.model_calls += 1
            self.sentences += sum(job.sentences for job in jobs)
            start = 0
            for job in jobs:
                if not job.future.done():
                    job.future.set_result(outputs[start : start + len(job.inputs)])
                start += len(job.inputs)

    async def _next_jobs(self) -> list[_Job]:
        """The requests of the next call: the first waiting, and those that join within `wait`
        while the call has room."""
        first = self._carried or await self._queue.get()
        self._carried = None
        jobs, sentences = [first], first.sentences
        deadline = asyncio.get_running_loop().time() + self._wait
        while sentences < self._max_sentences:
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                job = (
                    self._queue.get_nowait()
                    if remaining <= 0
                    else await asyncio.wait_for(self._queue.get(), remaining)
                )
            except (asyncio.QueueEmpty, TimeoutError):
                break
            if sentences + job.sentences > self._max_sentences:
                self._carried = job
                break
            jobs.append(job)
            sentences += job.sentences
        return jobs
