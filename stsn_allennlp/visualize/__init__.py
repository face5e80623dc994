"""An HTML view of predictions: `python -m stsn_allennlp.visualize PREDICTIONS.jsonl [--gold
GOLD.json] -o view.html`. Plain Python: nothing here needs AllenNLP's registry."""

from stsn_allennlp.visualize.html import render_page
from stsn_allennlp.visualize.levels import assign_levels
from stsn_allennlp.visualize.marks import SentenceMarks, sentence_marks
from stsn_allennlp.visualize.view import View, build_view

__all__ = ["SentenceMarks", "View", "assign_levels", "build_view", "render_page", "sentence_marks"]
