"""The live page in headless Chromium, used as a person does: type, press the button, read what
it drew."""

import httpx
import pytest

from stsn_allennlp.serve.browser import BrowserPage
from stsn_allennlp.visualize.browser import find_chromium

pytestmark = pytest.mark.skipif(
    find_chromium() is None,
    reason="headless Chromium is not installed (Debian: apt-get install chromium; .ci/run "
    "installs it): the browser tests of the live page are skipped",
)

TEXT = "John Smith works for Acme Corp in Boston."

DRAWN = """(function(){var d=document.getElementById('view').contentDocument;
function all(s){return Array.prototype.slice.call(d.querySelectorAll(s));}
return {ready: d.body.getAttribute('data-ready'), error: d.body.getAttribute('data-script-error'),
entities: all('g.entity').map(function(g){return [g.dataset.type, +g.dataset.start,
  +g.dataset.end, g.dataset.score, g.querySelector('title').textContent];}),
arcs: all('g.arc').map(function(g){return [g.dataset.type, g.dataset.head, g.dataset.tail,
  g.dataset.score];})};})()"""


def ask_page(server, text: str) -> BrowserPage:
    page = BrowserPage(height=900)
    page.open(server.url + "/")
    page.type_into("#text", text)
    page.click("#run")
    page.wait_for("['done','error'].indexOf(document.body.dataset.state) >= 0")
    return page


def test_typed_text_is_drawn_with_the_marks_the_api_returned(server):
    (expected,) = httpx.post(server.url + "/predict", json={"document": TEXT}).json()["sentences"]
    with ask_page(server, TEXT) as page:
        assert page.evaluate("document.body.dataset.state") == "done"
        drawn = page.evaluate(DRAWN)
        fetched = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert drawn["ready"] == "1" and drawn["error"] is None
    assert [entity[:4] for entity in drawn["entities"]] == [
        [e["type"], e["start"], e["end"], f"{e['score']:.4f}"] for e in expected["entities"]
    ]
    assert all(
        f"score {e['score']:.3f}" in d[4] for d, e in zip(drawn["entities"], expected["entities"])
    )
    assert drawn["arcs"] == [
        [r["type"], f"s0e{r['head']}", f"s0e{r['tail']}", f"{r['score']:.4f}"]
        for r in expected["relations"]
    ]
    assert len(drawn["arcs"]) > 0
    # offline: the page fetched nothing but its own API
    assert fetched == [server.url + "/predict", server.url + "/render"]


def test_a_refused_request_shows_the_reason(server):
    with ask_page(server, " ".join(["word"] * 41)) as page:
        assert page.evaluate("document.body.dataset.state") == "error"
        status = page.evaluate("document.getElementById('status').textContent")
    assert status == "413: the request holds 41 words; the limit is 40 (--max-words)"
