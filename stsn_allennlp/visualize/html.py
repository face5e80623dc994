"""One self-contained HTML page of sentences with their entities and relations, as inline SVG.

Nothing is fetched: the CSS and a small script are inline and the font is the browser's own
`monospace`. Each sentence is one `<svg>`: its words on a row, each drawn to exactly the width of
its characters (`textLength`), so the layout computed here holds in any browser; the entities as
boxes below the words (type and status), with a tinted highlight behind them; the relations as
labelled arcs above the words, from the head entity to an arrowhead at the tail entity. Arcs and
entity boxes are stacked in levels (`assign_levels`) so that none overlaps another of its level,
labels included. Hovering a mark shows its type, text, score and status; hovering an arc also
outlines its two entities. A checkbox shows only the sentences with errors; it starts ticked
when the page's address ends in `#errors`.

Hooks for tests and scripts: every entity is a `g.entity`, every relation a `g.arc`, each with
`data-status` (`predicted`, `correct`, `missed`, `spurious`), `data-type` and `data-score` (arcs
also `data-level`, 0 nearest the words); every
sentence is a `section.sentence` with `data-errors`. When the script has run, `<body>` carries
`data-ready="1"` and, after the page's `load` event, `data-load-ms` (milliseconds from navigation
start, `performance.now()`); an uncaught script error sets `data-script-error` instead.
"""

from collections.abc import Mapping, Sequence
from html import escape

from stsn_allennlp.visualize.levels import Interval, assign_levels
from stsn_allennlp.visualize.marks import STATUSES, ArcMark, EntityMark, SentenceMarks

CHAR_WIDTH = 8.4
"""Pixels per character of a word (14 px monospace); each word is drawn to exactly this width."""
LABEL_CHAR_WIDTH = 6.6
"""Pixels per character of a label (11 px monospace)."""
PADDING = 8
WORD_HEIGHT = 22
ARC_STEP = 20
"""Vertical distance between two levels of arcs."""
BOX_STEP = 18
"""Vertical distance between two levels of entity boxes."""
PALETTE = (
    "#8ab4f8",
    "#f6ae6b",
    "#93d58f",
    "#f19cbb",
    "#c9a7ec",
    "#f3d86a",
    "#7fd6d3",
    "#d8ad80",
    "#bdbdbd",
    "#f7a3a3",
)
"""Fill colours of entity types, in the order of the sorted type names (then repeated)."""

STYLE = """
body{font:14px system-ui,sans-serif;margin:0 16px 24px;color:#1f2328}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #d0d7de;padding:8px 0;
z-index:1}
h1{font-size:18px;margin:4px 0}
.legend span{display:inline-block;margin:2px 6px 2px 0;padding:0 6px;border-radius:3px;
font:12px monospace}
.lg-predicted{border:1.5px solid #57606a}
.lg-correct{border:1.5px solid #1a7f37}
.lg-spurious{border:2px solid #d1242f}
.lg-missed{border:1.5px dashed #bc4c00}
.notes{color:#9a6700}
.scores{font:12px monospace}
.sentence{border-bottom:1px solid #eaeef2;padding:6px 0;content-visibility:auto;
contain-intrinsic-size:auto 150px}
.sentence h2{font:12px monospace;color:#57606a;margin:0 0 2px}
.sentence h2 .err{color:#d1242f}
.scroll{overflow-x:auto}
body.only-errors .sentence[data-errors="0"]{display:none}
svg text{font-family:monospace}
.w{font-size:14px;fill:#1f2328}
.lab{font-size:11px;fill:#1f2328}
.entity .hl{opacity:.45}
.entity .box{stroke:#57606a;stroke-width:1}
.entity[data-status=correct] .box{stroke:#1a7f37;stroke-width:1.5}
.entity[data-status=spurious] .box{stroke:#d1242f;stroke-width:2.5}
.entity[data-status=missed] .box,.entity[data-status=missed] .hl{fill:#fff;stroke:#bc4c00;
stroke-width:1.5;stroke-dasharray:4 2;opacity:1}
.entity[data-status=missed] .hl{fill:none}
.entity.focus .box{stroke:#000;stroke-width:3}
.arc .line{fill:none;stroke:#57606a;stroke-width:1.5}
.arc .tip{fill:#57606a}
.arc .lbg{fill:#fff;opacity:.9}
.arc[data-status=correct] .line{stroke:#1a7f37}
.arc[data-status=correct] .tip{fill:#1a7f37}
.arc[data-status=spurious] .line{stroke:#d1242f;stroke-width:2}
.arc[data-status=spurious] .tip{fill:#d1242f}
.arc[data-status=missed] .line{stroke:#bc4c00;stroke-dasharray:5 3}
.arc[data-status=missed] .tip{fill:#bc4c00}
.arc:hover .line{stroke-width:3.5}
"""

GUARD = (
    "window.addEventListener('error',function(e){"
    "document.documentElement.setAttribute('data-script-error',String(e.message));"
    "if(document.body)document.body.setAttribute('data-script-error',String(e.message));});"
)
"""Runs first: an uncaught error anywhere in the page leaves its message in the DOM."""

SCRIPT = """
(function(){
var body=document.body,box=document.getElementById('only-errors'),
shown=document.getElementById('shown');
var all=document.querySelectorAll('.sentence'),
bad=document.querySelectorAll('.sentence:not([data-errors="0"])');
function apply(){body.classList.toggle('only-errors',box.checked);
shown.textContent=(box.checked?bad.length:all.length)+' of '+all.length+' sentences shown';}
if(location.hash==='#errors')box.checked=true;
box.addEventListener('change',apply);apply();
function focus(event,on){var arc=event.target.closest&&event.target.closest('.arc');if(!arc)return;
[arc.dataset.head,arc.dataset.tail].forEach(function(id){var e=document.getElementById(id);
if(e)e.classList.toggle('focus',on);});}
document.addEventListener('mouseover',function(e){focus(e,true);});
document.addEventListener('mouseout',function(e){focus(e,false);});
window.addEventListener('load',function(){body.setAttribute('data-load-ms',performance.now().toFixed(1));});
body.setAttribute('data-ready','1');
})();
"""


def render_page(
    sentences: Sequence[SentenceMarks],
    title: str,
    notes: Sequence[str] = (),
    scores: Mapping[str, float] | None = None,
) -> str:
    """
    The HTML page of the sentences.

    # Parameters

    sentences : `Sequence[SentenceMarks]`
        The sentences to draw, in order.
    title : `str`
        The page's title (e.g. the predictions file's name).
    notes : `Sequence[str]`, optional (default = `()`)
        Messages shown above the sentences, e.g. the error records that were skipped.
    scores : `Optional[Mapping[str, float]]`, optional (default = `None`)
        The metric's scores (`compute_scores`) to show: NER and RE+ micro precision, recall, F1.
    """
    types = sorted({entity.type for sentence in sentences for entity in sentence.entities})
    type_index = {name: index for index, name in enumerate(types)}
    errors = sum(sentence.errors() > 0 for sentence in sentences)
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}{_type_style(len(types))}</style>",
        f"<script>{GUARD}</script></head><body>",
        f"<header><h1>{escape(title)}</h1>",
        _legend(types, type_index, statuses_in(sentences)),
        _scores_line(scores) if scores is not None else "",
        "".join(f'<div class="notes">{escape(note)}</div>' for note in notes),
        '<label><input type="checkbox" id="only-errors"> only sentences with errors '
        f'({errors})</label> · <span id="shown"></span></header><main>',
        *(_sentence_html(sentence, index, type_index) for index, sentence in enumerate(sentences)),
        f"</main><script>{SCRIPT}</script></body></html>\n",
    ]
    return "".join(parts)


def statuses_in(sentences: Sequence[SentenceMarks]) -> list[str]:
    """The statuses that occur among the sentences' marks, in `STATUSES` order."""
    found = {mark.status for s in sentences for mark in s.marks()}
    return [status for status in STATUSES if status in found]


def word_boxes(tokens: Sequence[str]) -> list[tuple[float, float]]:
    """
    The `(left, width)` in pixels of each word on the row, one character's width apart.

    # Parameters

    tokens : `Sequence[str]`
        The words.
    """
    boxes, left = [], float(PADDING)
    for token in tokens:
        width = CHAR_WIDTH * max(len(token), 1)
        boxes.append((left, width))
        left += width + CHAR_WIDTH
    return boxes


def _type_style(count: int) -> str:
    return "".join(
        f".t{index} .box,.t{index} .hl,.lg-t{index}{{fill:{colour};background:{colour}}}"
        for index, colour in ((i, PALETTE[i % len(PALETTE)]) for i in range(count))
    )


def _legend(types: Sequence[str], type_index: dict[str, int], statuses: Sequence[str]) -> str:
    spans = [f'<span class="lg-t{type_index[name]}">{escape(name)}</span>' for name in types]
    spans += [f'<span class="lg-{status}">{status}</span>' for status in statuses]
    return f'<div class="legend">{"".join(spans)}</div>'


def _scores_line(scores: Mapping[str, float]) -> str:
    cells = [
        f"{task} P {scores[f'{key}_precision_micro']:.2f} R {scores[f'{key}_recall_micro']:.2f} "
        f"F1 {scores[f'{key}_f1_micro']:.2f}"
        for task, key in (("NER", "ner"), ("RE+", "re_plus"))
    ]
    return f'<div class="scores">micro, % · {" · ".join(cells)}</div>'


def _entity_extent(entity: EntityMark, words: Sequence[tuple[float, float]]) -> Interval:
    last_left, last_width = words[entity.end - 1]
    return words[entity.start][0], last_left + last_width


def _label_width(label: str) -> float:
    return LABEL_CHAR_WIDTH * len(label) + 6


def _sentence_html(sentence: SentenceMarks, index: int, type_index: dict[str, int]) -> str:
    sid = f"s{index}"
    words = word_boxes(sentence.tokens)
    extents = [_entity_extent(entity, words) for entity in sentence.entities]
    boxes = [
        (left, max(right, left + _label_width(e.type)))
        for (left, right), e in zip(extents, sentence.entities, strict=True)
    ]
    box_levels = assign_levels(boxes, gap=3)
    arc_geometry = [_arc_interval(arc, extents) for arc in sentence.arcs]
    arc_levels = assign_levels([interval for interval, _, _ in arc_geometry], gap=4)
    top = PADDING + ARC_STEP * (max(arc_levels) + 1 if arc_levels else 0)
    bottom = top + WORD_HEIGHT + BOX_STEP * (max(box_levels) + 1 if box_levels else 0)
    width = (
        max(
            [PADDING * 2.0]
            + [right for _, right in [*boxes, *(g[0] for g in arc_geometry)]]
            + [left + w for left, w in words]
        )
        + PADDING
    )
    items = [
        _entity_svg(entity, extent, box, level, top, f"{sid}e{k}", sentence.tokens, type_index)
        for k, (entity, extent, box, level) in enumerate(
            zip(sentence.entities, extents, boxes, box_levels, strict=True)
        )
    ]
    items += [
        _arc_svg(arc, geometry, level, top, sid, sentence)
        for arc, geometry, level in zip(sentence.arcs, arc_geometry, arc_levels, strict=True)
    ]
    items.append(_words_svg(sentence.tokens, words, top))
    errors = sentence.errors()
    heading = f"#{index + 1} · {escape(sentence.where)} · {len(sentence.tokens)} words"
    if errors:
        heading += f' · <span class="err">{errors} error{"s" if errors > 1 else ""}</span>'
    return (
        f'<section class="sentence" id="{sid}" data-errors="{errors}"><h2>{heading}</h2>'
        f'<div class="scroll"><svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
        f'height="{bottom + PADDING:.0f}">{"".join(items)}</svg></div></section>\n'
    )


def _arc_interval(arc: ArcMark, extents: Sequence[Interval]) -> tuple[Interval, float, float]:
    """The arc's extent with its label, and the x of its head and tail feet (the head's a little
    left of its entity's centre, the tail's a little right, so arcs in and out stay apart)."""
    head_x = sum(extents[arc.head]) / 2 - 3
    tail_x = sum(extents[arc.tail]) / 2 + 3
    middle, half_label = (head_x + tail_x) / 2, _label_width(arc.type) / 2
    interval = (min(head_x, tail_x, middle - half_label), max(head_x, tail_x, middle + half_label))
    return interval, head_x, tail_x


def _words_svg(tokens: Sequence[str], words: Sequence[tuple[float, float]], top: float) -> str:
    texts = "".join(
        f'<text x="{left:.1f}" y="{top + 16:.0f}" textLength="{width:.1f}" '
        f'lengthAdjust="spacingAndGlyphs">{escape(token)}</text>'
        for token, (left, width) in zip(tokens, words, strict=True)
    )
    return f'<g class="w">{texts}</g>'


def _score_text(score: float | None) -> str:
    return "" if score is None else f" · score {score:.3f}"


def _entity_svg(
    entity: EntityMark,
    extent: Interval,
    box: Interval,
    level: int,
    top: float,
    element_id: str,
    tokens: Sequence[str],
    type_index: dict[str, int],
) -> str:
    (left, right), box_y = extent, top + WORD_HEIGHT + BOX_STEP * level + 1
    text = " ".join(tokens[entity.start : entity.end])
    tooltip = (
        f'{entity.type} "{text}" [{entity.start}, {entity.end})'
        f"{_score_text(entity.score)} · {entity.status}"
    )
    score = "" if entity.score is None else f' data-score="{entity.score:.4f}"'
    return (
        f'<g class="entity t{type_index[entity.type]}" id="{element_id}" '
        f'data-status="{entity.status}" data-type="{escape(entity.type)}" '
        f'data-start="{entity.start}" data-end="{entity.end}"{score}>'
        f"<title>{escape(tooltip)}</title>"
        f'<rect class="hl" x="{left - 2:.1f}" y="{top + 1:.0f}" width="{right - left + 4:.1f}" '
        f'height="{WORD_HEIGHT - 2}" rx="3"/>'
        f'<rect class="box" x="{left:.1f}" y="{box_y:.0f}" width="{box[1] - box[0]:.1f}" '
        f'height="15" rx="3"/>'
        f'<text class="lab" x="{left + 3:.1f}" y="{box_y + 11:.0f}">'
        f"{escape(entity.type)}</text></g>"
    )


def _arc_svg(
    arc: ArcMark,
    geometry: tuple[Interval, float, float],
    level: int,
    top: float,
    sid: str,
    sentence: SentenceMarks,
) -> str:
    _, head_x, tail_x = geometry
    foot, y = top - 1, top - ARC_STEP * (level + 1) + 7
    middle, label_width = (head_x + tail_x) / 2, _label_width(arc.type)
    head, tail = (sentence.entities[i] for i in (arc.head, arc.tail))
    words = [" ".join(sentence.tokens[e.start : e.end]) for e in (head, tail)]
    tooltip = f'{arc.type}: "{words[0]}" → "{words[1]}"{_score_text(arc.score)} · {arc.status}'
    score = "" if arc.score is None else f' data-score="{arc.score:.4f}"'
    return (
        f'<g class="arc" data-status="{arc.status}" data-type="{escape(arc.type)}" '
        f'data-level="{level}" data-head="{sid}e{arc.head}" data-tail="{sid}e{arc.tail}"{score}>'
        f"<title>{escape(tooltip)}</title>"
        f'<path class="line" d="M{head_x:.1f} {foot:.0f}V{y:.0f}H{tail_x:.1f}V{foot - 6:.0f}"/>'
        f'<path class="tip" d="M{tail_x - 4:.1f} {foot - 7:.0f}H{tail_x + 4:.1f}L{tail_x:.1f} '
        f'{foot:.0f}Z"/>'
        f'<rect class="lbg" x="{middle - label_width / 2:.1f}" y="{y - 7:.0f}" '
        f'width="{label_width:.1f}" height="13"/>'
        f'<text class="lab" x="{middle:.1f}" y="{y + 4:.0f}" text-anchor="middle">'
        f"{escape(arc.type)}</text></g>"
    )
