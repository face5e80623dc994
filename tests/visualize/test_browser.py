"""The view in a real browser: headless Chromium runs its script and draws it."""

import pytest

from stsn_allennlp.visualize import build_view
from stsn_allennlp.visualize.browser import dump_dom, find_chromium, screenshot, summarize_dom
from tests.visualize.conftest import EXPECTED, GOLD, SENTENCES_WITH_ERRORS

pytestmark = pytest.mark.skipif(
    find_chromium() is None,
    reason="headless Chromium is not installed (Debian: apt-get install chromium; .ci/run "
    "installs it): the browser tests of the HTML view are skipped",
)


@pytest.fixture
def page(predictions, tmp_path):
    path = tmp_path / "view.html"
    path.write_text(build_view(predictions, GOLD).html, encoding="utf-8")
    return path


def test_page_runs_without_script_errors_and_holds_every_mark(page):
    dom, _ = dump_dom(page)
    summary = summarize_dom(dom)
    assert "data-script-error" not in summary.body
    assert summary.body.get("data-ready") == "1"
    assert float(summary.body["data-load-ms"]) > 0
    assert {key: summary.marks[key] for key in EXPECTED} == EXPECTED
    assert summary.count("entity") == 9 and summary.count("arc") == 5
    assert "only-errors" not in (summary.body.get("class") or "")


def test_errors_fragment_ticks_the_filter(page):
    dom, _ = dump_dom(page, "#errors")
    summary = summarize_dom(dom)
    assert "only-errors" in summary.body.get("class", "").split()
    assert f"{SENTENCES_WITH_ERRORS} of 4 sentences shown" in dom


def test_a_script_error_is_detected(page, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(page.read_text().replace("(function(){", "(function(){undefinedCall();", 1))
    summary = summarize_dom(dump_dom(broken)[0])
    assert "undefinedCall" in summary.body["data-script-error"]
    assert "data-ready" not in summary.body


def test_screenshot_is_a_drawn_png(page, tmp_path):
    png = tmp_path / "view.png"
    screenshot(page, png, 800, 600)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 800 and int.from_bytes(data[20:24], "big") == 600
    assert len(data) > 5000  # words, boxes and arcs, not a blank page
