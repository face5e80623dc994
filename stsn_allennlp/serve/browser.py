"""A headless Chromium driven over the DevTools protocol on a pipe, to use a page as a person
does: open it, type, click, read the DOM, take a screenshot.

Chromium's `--remote-debugging-pipe` reads protocol commands on file descriptor 3 and writes
answers and events on 4, each one JSON message ended by a NUL byte: no network port, no websocket
library. For the server's tests and its screenshot; needs Chromium on the `PATH` (Debian:
`apt-get install chromium`; `stsn_allennlp.visualize.browser.find_chromium`).
"""

import base64
import contextlib
import fcntl
import itertools
import json
import os
import select
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from stsn_allennlp.visualize.browser import EXECUTABLES, find_chromium

_CLOSE_SECONDS = 10.0


class BrowserError(RuntimeError):
    """The browser answered a command with an error, or did not answer in time."""


class BrowserPage:
    """
    One page in a fresh headless Chromium; use it as a context manager, which stops the browser.

    # Parameters

    width : `int`, optional (default = `1200`)
        The window's width in pixels.
    height : `int`, optional (default = `800`)
        The window's height in pixels.
    timeout : `float`, optional (default = `60.0`)
        Seconds to wait for any one answer of the browser.
    """

    def __init__(self, width: int = 1200, height: int = 800, timeout: float = 60.0) -> None:
        executable = find_chromium()
        if executable is None:
            raise FileNotFoundError(f"no Chromium executable on the PATH (tried {EXECUTABLES})")
        self._timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="stsn-chromium-")
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()
        # bash puts the browser's ends on descriptors 3 and 4; 10 and up leave those free
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (commands_read, answers_write)]
        for fd in (commands_read, answers_write):
            os.close(fd)
        self._process = subprocess.Popen(
            [
                "/bin/bash",
                "-c",
                f'exec "$0" "$@" 3<&{ends[0]} 4>&{ends[1]} {ends[0]}<&- {ends[1]}>&-',
                executable,
                "--headless",
                "--disable-gpu",
                "--no-sandbox",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
                f"--user-data-dir={self._profile.name}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=ends,
            start_new_session=True,  # its own group: closing stops its helper processes too
        )
        for fd in ends:
            os.close(fd)
        self._ids = itertools.count(1)
        self._buffer = b""
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def __enter__(self) -> "BrowserPage":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """
        Stops the browser and removes its profile. Chromium is asked to close, which stops its
        helper processes before it exits; whatever of its process group is left after
        `_CLOSE_SECONDS` is killed, since a helper still running writes into the profile.
        """
        if self._process.poll() is None:
            with contextlib.suppress(OSError, BrowserError):
                os.write(
                    self._commands,
                    json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0",
                )
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=_CLOSE_SECONDS)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()
        for fd in (self._commands, self._answers):
            os.close(fd)
        self._profile.cleanup()

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """
        Sends one protocol command to the page and returns its result.

        # Parameters

        method : `str`
            The command, e.g. `"Page.navigate"`.
        params : `Optional[Dict[str, Any]]`, optional (default = `None`)
            Its parameters.
        """
        return self._call(method, params, self._session)

    def open(self, url: str) -> None:
        """Navigates to `url` and waits until the document has loaded."""
        self.call("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete' && location.href !== 'about:blank'")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (a promise is awaited)."""
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r} failed in the page: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str) -> Any:
        """Evaluates `expression` until it is truthy (every 50 ms, for at most the timeout)."""
        deadline = time.monotonic() + self._timeout
        while not (value := self.evaluate(expression)):
            if time.monotonic() > deadline:
                raise BrowserError(f"{expression!r} stayed false for {self._timeout} s")
            time.sleep(0.05)
        return value

    def type_into(self, selector: str, text: str) -> None:
        """Focuses the element and types `text` as keyboard input."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.call("Input.insertText", {"text": text})

    def click(self, selector: str) -> None:
        """Presses and releases the left mouse button over the middle of the element."""
        box = self.evaluate(
            f"(function(){{var r=document.querySelector({json.dumps(selector)})"
            ".getBoundingClientRect();return [r.left+r.width/2,r.top+r.height/2];})()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1},
            )

    def screenshot(self, png: str | Path) -> None:
        """Writes a PNG of the window."""
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        Path(png).write_bytes(base64.b64decode(data))

    def _call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> dict[str, Any]:
        number = next(self._ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") == number:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def _read(self) -> dict[str, Any]:
        """The next message from the browser (answers and events)."""
        deadline = time.monotonic() + self._timeout
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._answers], [], [], 0.5)
            if ready:
                chunk = os.read(self._answers, 1 << 16)
                if not chunk:
                    raise BrowserError("the browser closed its pipe")
                self._buffer += chunk
            elif time.monotonic() > deadline or self._process.poll() is not None:
                raise BrowserError("the browser did not answer")
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)
