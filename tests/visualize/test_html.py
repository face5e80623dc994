import re

from stsn_allennlp.visualize.html import CHAR_WIDTH, render_page, word_boxes
from stsn_allennlp.visualize.marks import ArcMark, EntityMark, SentenceMarks


def _sentence(tokens, entities, arcs, where="line 1"):
    return SentenceMarks(tokens, entities, arcs, where)


def test_text_is_escaped_everywhere():
    evil = "<script>alert(1)</script>"
    sentence = _sentence(
        ["<b>", "&amp;", evil],
        [EntityMark(0, 1, 'T<y>pe"', 0.5, "predicted"), EntityMark(2, 3, "X", None, "predicted")],
        [ArcMark(0, 1, "R&<", 0.7, "predicted")],
        where=evil,
    )
    page = render_page([sentence], title=evil, notes=[evil])
    assert "<script>alert" not in page and "<b>" not in page
    assert "&lt;b&gt;" in page and "&amp;amp;" in page and "T&lt;y&gt;pe&quot;" in page
    assert page.count("<script>") == 2  # the page's own two scripts, nothing else


def test_page_is_self_contained():
    page = render_page([_sentence(["a"], [], [])], "t")
    assert not re.search(r"(src|href)\s*=|@import|url\(|https?://(?!www\.w3\.org/2000/svg)", page)


def test_hooks_and_error_counts():
    entities = [
        EntityMark(0, 1, "A", 0.9, "correct"),
        EntityMark(2, 3, "B", None, "missed"),
        EntityMark(2, 3, "A", 0.4, "spurious"),
    ]
    arcs = [ArcMark(0, 1, "R", None, "missed"), ArcMark(0, 2, "R", 0.6, "spurious")]
    clean = _sentence(["x"], [EntityMark(0, 1, "A", 0.8, "correct")], [])
    page = render_page(
        [_sentence(["a", "b", "c"], entities, arcs), clean],
        "t",
        scores={
            f"{task}_{measure}_micro": 50.0
            for task in ("ner", "re_plus")
            for measure in ("precision", "recall", "f1")
        },
    )
    assert page.count('class="entity ') == 4 and page.count('class="arc"') == 2
    assert re.findall(r'class="arc" data-status="(\w+)"', page) == ["missed", "spurious"]
    assert re.findall(r'<section class="sentence" id="s\d+" data-errors="(\d+)"', page) == [
        "4",
        "0",
    ]
    assert 'data-head="s0e0" data-tail="s0e2"' in page and 'id="s0e2"' in page
    assert "NER P 50.00 R 50.00 F1 50.00" in page and "only sentences with errors (1)" in page


def test_words_are_laid_out_by_their_length():
    boxes = word_boxes(["ab", "c"])
    assert boxes[0][1] == 2 * CHAR_WIDTH and boxes[1][1] == CHAR_WIDTH
    assert boxes[1][0] == boxes[0][0] + 3 * CHAR_WIDTH


def test_stacked_arcs_get_distinct_heights():
    entities = [EntityMark(i, i + 1, "A", None, "predicted") for i in range(4)]
    arcs = [
        ArcMark(0, 3, "R", None, "predicted"),
        ArcMark(1, 2, "R", None, "predicted"),
        ArcMark(0, 2, "R", None, "predicted"),
    ]
    page = render_page([_sentence(["w1", "w2", "w3", "w4"], entities, arcs)], "t")
    heights = [int(y) for y in re.findall(r'class="line" d="M[\d.]+ \d+V(\d+)', page)]
    assert len(set(heights)) == 3
    assert heights[1] > heights[2] > heights[0]  # the shortest arc lowest (largest y)
