"""Opening a page in headless Chromium: its DOM after the scripts ran, and a screenshot.

For the tests and the benchmark of the HTML view; needs a `chromium` (or `chromium-browser`,
`google-chrome`) executable on the `PATH` (Debian: `apt-get install chromium`).
"""

import shutil
import subprocess
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

EXECUTABLES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """The path of the first Chromium executable on the `PATH`, `None` when there is none."""
    return next(filter(None, map(shutil.which, EXECUTABLES)), None)


def run_chromium(
    page: str | Path, arguments: list[str], fragment: str = "", timeout: float = 120.0
) -> tuple[str, float]:
    """
    Opens `page` in a fresh headless Chromium with the extra `arguments` (e.g. `--dump-dom`).

    # Parameters

    page : `Union[str, Path]`
        The HTML file.
    arguments : `List[str]`
        Chromium's switches for what to do with the page.
    fragment : `str`, optional (default = `""`)
        Appended to the page's address, e.g. `"#errors"`.
    timeout : `float`, optional (default = `120.0`)
        Seconds before the browser is stopped (`subprocess.TimeoutExpired`).

    # Returns

    `Tuple[str, float]`
        Chromium's standard output, and the wall-clock seconds the browser ran.
    """
    executable = find_chromium()
    if executable is None:
        raise FileNotFoundError(f"no Chromium executable on the PATH (tried {EXECUTABLES})")
    with tempfile.TemporaryDirectory(prefix="stsn-chromium-") as profile:
        command = [
            executable,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            *arguments,
            Path(page).resolve().as_uri() + fragment,
        ]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
        return done.stdout, time.perf_counter() - start


def dump_dom(page: str | Path, fragment: str = "") -> tuple[str, float]:
    """The DOM of the page (its address ending in `fragment`) serialised after its scripts ran
    (`--dump-dom`), and the seconds it took."""
    return run_chromium(page, ["--dump-dom"], fragment)


def screenshot(page: str | Path, png: str | Path, width: int = 1200, height: int = 2000) -> float:
    """
    Writes a PNG of the page's first `width` x `height` pixels; returns the seconds it took.

    # Parameters

    page : `Union[str, Path]`
        The HTML file.
    png : `Union[str, Path]`
        The PNG to write.
    width : `int`, optional (default = `1200`)
        The window's width.
    height : `int`, optional (default = `2000`)
        The window's height.
    """
    _, seconds = run_chromium(
        page, [f"--screenshot={Path(png).resolve()}", f"--window-size={width},{height}"]
    )
    return seconds


class DomSummary(NamedTuple):
    """What a dumped DOM holds: the attributes of `<body>`, and the number of elements that
    carry each class and `data-status`, e.g. `("arc", "missed")`."""

    body: dict[str, str | None]
    marks: Counter[tuple[str, str]]

    def count(self, kind: str, status: str | None = None) -> int:
        """The elements of class `kind` (with that `data-status`, if given)."""
        return sum(
            n for (name, found), n in self.marks.items() if name == kind and status in (None, found)
        )


def summarize_dom(dom: str) -> DomSummary:
    """
    Parses a dumped DOM: the attributes of `<body>` and the entity and arc marks (elements of
    class `entity` or `arc`) by status.

    # Parameters

    dom : `str`
        The HTML.
    """
    parser = _MarkCounter()
    parser.feed(dom)
    return DomSummary(parser.body, parser.marks)


class _MarkCounter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.body: dict[str, str | None] = {}
        self.marks: Counter[tuple[str, str]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "body":
            self.body = attributes
        for kind in {"entity", "arc"} & set((attributes.get("class") or "").split()):
            self.marks[kind, attributes.get("data-status") or ""] += 1
