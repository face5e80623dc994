"""Size and opening time of the HTML view (`python -m stsn_allennlp.visualize`) for whole test sets.

Predictions are CoNLL04 training sentences with seeded errors (an entity retyped, dropped, a
relation dropped or added, each in about one sentence in ten), viewed against the same sentences
as gold, so every kind of mark occurs: the first 300 sentences, then all of them. A long-sentence
case follows: one sentence of 120 words with 40 entities, each related to the next three (114
arcs), to show how high the arcs stack.

For each view: the file size, the time to build it in Python, and three headless-Chromium opens
(the median is reported): `load_ms`, the page's own `performance.now()` at its `load` event (from
navigation start: parsing, styles and the script), read from the DOM that `--dump-dom` gives;
`dump_s` and `screenshot_s`, the wall-clock seconds of the whole browser process (start-up
included) for `--dump-dom` and for a 1200 x 2000 screenshot. The DOM is also checked: the script
ran without error and holds one element per mark.

    python -m bench.visualize        # writes bench/results/visualize.{json,md}
"""

import json
import random
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    RESULTS_DIR,
    TRAIN_FILE,
    environment,
    environment_markdown,
    write_report,
)
from stsn_allennlp.core.reports import markdown_table
from stsn_allennlp.visualize import build_view
from stsn_allennlp.visualize.browser import dump_dom, find_chromium, screenshot, summarize_dom

SIZES = (300, None)
"""Sentences per view; `None` is the whole file."""
OPENS = 3


def with_errors(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A prediction of `record` with seeded errors and scores (see the module's docstring)."""
    entities = [dict(e, score=round(rng.uniform(0.5, 1.0), 3)) for e in record["entities"]]
    relations = [dict(r, score=round(rng.uniform(0.4, 1.0), 3)) for r in record["relations"]]
    if entities and rng.random() < 0.1:
        entities[0]["type"] = "Other" if entities[0]["type"] != "Other" else "Loc"
    if relations and rng.random() < 0.1:
        relations.pop()
    if len(entities) > 1 and rng.random() < 0.1:
        relations.append({"type": "Located_In", "head": 1, "tail": 0, "score": 0.45})
    if entities and rng.random() < 0.1:
        dropped = len(entities) - 1
        entities.pop()
        relations = [r for r in relations if dropped not in (r["head"], r["tail"])]
    return {"tokens": record["tokens"], "entities": entities, "relations": relations}


def long_sentence() -> dict[str, Any]:
    """120 words, an entity on every third word, each related to the next three."""
    tokens = [f"word{i}" for i in range(120)]
    entities = [
        {"type": "Peop" if i % 2 else "Loc", "start": 3 * i, "end": 3 * i + 1} for i in range(40)
    ]
    relations = [
        {"type": "Live_In", "head": i, "tail": j}
        for i in range(40)
        for j in range(i + 1, min(i + 4, 40))
    ]
    return {"tokens": tokens, "entities": entities, "relations": relations}


def measure(
    name: str, gold: list[dict[str, Any]], predicted: list[dict[str, Any]], folder: Path
) -> dict[str, Any]:
    """Builds the view of `predicted` against `gold` and opens it in Chromium `OPENS` times."""
    gold_path, predictions_path = folder / f"{name}_gold.json", folder / f"{name}.jsonl"
    gold_path.write_text(json.dumps(gold))
    predictions_path.write_text("".join(json.dumps(record) + "\n" for record in predicted))
    start = time.perf_counter()
    view = build_view(predictions_path, gold_path)
    build_s = time.perf_counter() - start
    page = folder / f"{name}.html"
    page.write_text(view.html, encoding="utf-8")
    opens = []
    for _ in range(OPENS):
        dom, dump_s = dump_dom(page)
        summary = summarize_dom(dom)
        if summary.body.get("data-ready") != "1" or "data-script-error" in summary.body:
            raise RuntimeError(f"{page}: the page's script failed: {summary.body}")
        screenshot_s = screenshot(page, folder / f"{name}.png")
        opens.append((float(summary.body["data-load-ms"]), dump_s, screenshot_s))
    marks = {kind: summary.count(kind) for kind in ("entity", "arc")}
    expected = {
        "entity": view.html.count('<g class="entity '),
        "arc": view.html.count('<g class="arc"'),
    }
    if marks != expected:
        raise RuntimeError(f"{page}: the DOM holds {marks}, the page wrote {expected}")
    return {
        "name": name,
        "sentences": view.sentences,
        "words": sum(len(record["tokens"]) for record in gold),
        "entity_marks": marks["entity"],
        "arc_marks": marks["arc"],
        "arc_levels_max": _arc_levels(view.html),
        "file_KiB": round(len(view.html.encode("utf-8")) / 1024, 1),
        "build_s": round(build_s, 3),
        "load_ms": statistics.median(o[0] for o in opens),
        "dump_s": round(statistics.median(o[1] for o in opens), 3),
        "screenshot_s": round(statistics.median(o[2] for o in opens), 3),
    }


def _arc_levels(html: str) -> int:
    """The most levels of arcs any sentence stacks (the arcs' `data-level`, from 0)."""
    return max((int(level) + 1 for level in re.findall(r'data-level="(\d+)"', html)), default=0)


def main() -> None:
    if find_chromium() is None:
        print("SKIPPED: no Chromium on the PATH (Debian: apt-get install chromium)")
        return
    if not TRAIN_FILE.is_file():
        print(f"SKIPPED: CoNLL04 data not found ({TRAIN_FILE})")
        return
    env = environment()
    records = json.loads(TRAIN_FILE.read_text())
    rng = random.Random(13)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-visualize-") as tmp:
        for size in SIZES:
            gold = records[:size] if size else records
            name = f"conll04_train_{len(gold)}"
            rows.append(measure(name, gold, [with_errors(r, rng) for r in gold], Path(tmp)))
            print(json.dumps(rows[-1]), flush=True)
        sentence = long_sentence()
        rows.append(measure("long_sentence_120_words", [sentence], [sentence], Path(tmp)))
        print(json.dumps(rows[-1]), flush=True)
    results = {"name": "visualize", "environment": env, "opens_per_view": OPENS, "views": rows}
    write_report(RESULTS_DIR, "visualize", results, report)


def report(results: dict[str, Any]) -> str:
    """The Markdown report of the results' JSON."""
    headers = [
        "view",
        "sentences",
        "entity marks",
        "arcs",
        "most arc levels",
        "file KiB",
        "build s",
        "load ms",
        "dump-dom s",
        "screenshot s",
    ]
    table = markdown_table(
        headers,
        [
            [
                r["name"],
                r["sentences"],
                r["entity_marks"],
                r["arc_marks"],
                r["arc_levels_max"],
                f"{r['file_KiB']:.0f}",
                f"{r['build_s']:.2f}",
                f"{r['load_ms']:.0f}",
                f"{r['dump_s']:.2f}",
                f"{r['screenshot_s']:.2f}",
            ]
            for r in results["views"]
        ],
    )
    return "\n\n".join(
        [
            "# HTML view: file size and opening time",
            "Measured by `python -m bench.visualize` (its docstring describes the inputs). "
            "`load ms`: "
            "the page's `performance.now()` at its `load` event, median of "
            f"{results['opens_per_view']} headless-Chromium opens; `dump-dom s` and "
            "`screenshot s`: the whole browser process, start-up included.",
            table,
            environment_markdown(results["environment"]),
        ]
    )


if __name__ == "__main__":
    main()
