"""`allennlp predict --predictor stsn` numbers input lines as the file does.

AllenNLP's `_PredictManager` skips blank lines before the predictor sees them, so a predictor
can only number the lines it is given, and a blank line gives no output. `NumberedPredictManager`
subclasses the manager (what `allennlp predict` builds): with the `stsn` predictor it reads every
line itself and hands each with its number in the file (from 1) to `StsnPredictor.load_line`, which
reads a blank line as an empty sentence. Every input line then gives at least one output line
(a document one per sentence), each carrying `"line"`, its line in the input file.
"""

import sys
from collections.abc import Iterator
from typing import Any

from allennlp.commands.predict import _PredictManager
from allennlp.common.file_utils import cached_path, open_compressed
from allennlp.common.util import JsonDict

from stsn_allennlp.predictors import StsnPredictor


class NumberedPredictManager(_PredictManager):
    """AllenNLP's `_PredictManager`, but with the `stsn` predictor it numbers the input file's
    real lines (other predictors read as before)."""

    def _get_json_data(self) -> Iterator[JsonDict]:
        if not isinstance(self._predictor, StsnPredictor):
            yield from super()._get_json_data()
        elif self._input_file == "-":
            yield from _numbered(self._predictor, sys.stdin)
        else:
            with open_compressed(cached_path(self._input_file)) as lines:
                yield from _numbered(self._predictor, lines)


def _numbered(predictor: StsnPredictor, lines: Any) -> Iterator[JsonDict]:
    for number, line in enumerate(lines, start=1):
        yield predictor.load_line(line, number)
