"""From files to the HTML view: predictions (and gold) read, matched and drawn."""

from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import NamedTuple

from stsn_allennlp.core.alignment import check_aligned, read_file
from stsn_allennlp.core.scoring import compute_scores, count_sentences
from stsn_allennlp.visualize.html import render_page
from stsn_allennlp.visualize.inputs import read_predictions
from stsn_allennlp.visualize.marks import sentence_marks


class View(NamedTuple):
    """The page, how many sentences it shows, and the messages of the error records skipped."""

    html: str
    sentences: int
    skipped: list[str]


def build_view(
    predictions: str | Path,
    gold: str | Path | None = None,
    symmetric_relation_types: AbstractSet[str] = frozenset(),
    title: str | None = None,
) -> View:
    """
    The HTML view of a predictions file, matched against a gold file when given.

    # Parameters

    predictions : `Union[str, Path]`
        The predictions, JSON lines (`stsn_allennlp.visualize.inputs.read_predictions`).
    gold : `Optional[Union[str, Path]]`, optional (default = `None`)
        The gold file (SpERT JSON or JSON lines), the same sentences in the same order; then every
        mark is `correct`, `missed` or `spurious` (strict RE+ for relations) and the page shows
        the NER and RE+ scores.
    symmetric_relation_types : `AbstractSet[str]`, optional (default = `frozenset()`)
        Relation types that match in either direction.
    title : `Optional[str]`, optional (default = `None`)
        The page's title; by default the files' names.

    # Raises

    `DataFormatError` on a file that is not valid; `InputError` when the gold file cannot be read
    or does not hold the predictions' sentences (an error record skipped breaks the alignment).
    """
    read = read_predictions(predictions)
    sentences = [scored.sentence for scored in read.sentences]
    gold_sentences = None
    scores = None
    if gold is not None:
        gold_sentences = read_file(str(gold))
        check_aligned(gold_sentences, sentences, str(gold), str(predictions))
        scores = compute_scores(
            count_sentences(gold_sentences, sentences, symmetric_relation_types)
        )
    marks = [
        sentence_marks(
            scored, gold_sentences[index] if gold_sentences else None, symmetric_relation_types
        )
        for index, scored in enumerate(read.sentences)
    ]
    name = title or (f"{predictions} against {gold}" if gold else str(predictions))
    return View(render_page(marks, name, read.skipped, scores), len(marks), read.skipped)
