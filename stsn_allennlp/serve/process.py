"""The server in a process of its own, started by the README's command: for tests and benchmarks
that use it as a client does."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """
    `python -m stsn_allennlp.serve ARCHIVE --port PORT [options]` in a process group of its own,
    its output appended to `log`; `start` waits until `GET /health` answers.

    # Parameters

    archive : `Union[str, Path]`
        The model archive.
    log : `Path`
        Where the server's output goes (appended at each start).
    options : `str`
        More command-line options, e.g. `"--max-batch", "1"`.
    cwd : `Optional[Path]`, optional (default = `None`)
        The server's working directory (an archive's relative paths are read from it).
    start_timeout : `float`, optional (default = `300.0`)
        Seconds the server may take to load the model and answer.
    """

    def __init__(
        self,
        archive: str | Path,
        log: Path,
        *options: str,
        cwd: Path | None = None,
        start_timeout: float = 300.0,
    ) -> None:
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.command = [
            sys.executable, "-m", "stsn_allennlp.serve", str(archive), "--port", str(self.port),
            *options,
        ]  # fmt: skip
        self._cwd = cwd
        self._start_timeout = start_timeout
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> "ServerProcess":
        """Starts the server (again, on the same port) and waits until it answers."""
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self._cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + self._start_timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the server did not answer within {self._start_timeout} s")
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.2)

    @property
    def pid(self) -> int:
        """The server's process id."""
        assert self.process is not None, "not started"
        return self.process.pid

    def signal(self, number: int) -> int:
        """Sends `number` to the server's process group; returns its exit status."""
        os.killpg(self.pid, number)
        assert self.process is not None
        return self.process.wait(timeout=60)

    def post(self, path: str, payload: Any) -> httpx.Response:
        """POSTs `payload` as JSON to `path`."""
        return httpx.post(self.url + path, json=payload, timeout=120)

    def stop(self) -> None:
        """Kills the server if it still runs."""
        if self.process is not None and self.process.poll() is None:
            self.signal(signal.SIGKILL)
