"""The model side of an extraction: a shard of input records in, its output lines out.

`ShardWorker` holds one predictor; the driver (`stsn_allennlp.extract.run`) hands it shards in
this process, in worker processes (`local`) or in Ray actors (`ray_pool`), and writes what it
returns. A shard's records are predicted `window` records at a time by the predictor's
`predict_batch_json`, which sorts their sentences by length into batches of `batch_size` and
gives the records back in input order; so what a shard gives depends only on the shard, never on
which worker ran it or when.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from stsn_allennlp.core.records import SENTENCES
from stsn_allennlp.extract.settings import ExtractSettings
from stsn_allennlp.extract.sources import JSON, InputRecord, Source
from stsn_allennlp.predictors import StsnPredictor
from stsn_allennlp.predictors.inputs import InputLine, decode_line


@dataclass(frozen=True)
class ShardTask:
    """
    A shard to predict.

    # Parameters

    index : `int`
        The shard's index: it holds the input records `index * shard_size` up to the next shard's.
    records : `Sequence[InputRecord]`
        Its input records, in order.
    """

    index: int
    records: Sequence[InputRecord]


@dataclass(frozen=True)
class ShardResult:
    """
    What a shard gave.

    # Parameters

    index : `int`
        The shard's index.
    text : `str`
        Its output, JSON lines, one record per sentence or error, in input order.
    inputs : `int`
        Its input records.
    sentences : `int`
        Its sentence records.
    errors : `int`
        Its error records.
    """

    index: int
    text: str
    inputs: int
    sentences: int
    errors: int


def predictor_input(record: InputRecord) -> dict[str, Any]:
    """
    What the predictor is given for a record: the decoded JSON line, `{"document": text}` for raw
    text, or an `InputLine` whose `problem` the predictor answers with an error record (bytes that
    are not UTF-8, a line that is not JSON, a damaged file).

    # Parameters

    record : `InputRecord`
        The record as read.
    """
    line = record.source.line
    if record.problem is not None:
        return InputLine({}, line, record.problem)
    try:
        text = record.data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = record.data[error.start]
        return InputLine({}, line, f"not UTF-8: byte 0x{byte:02x} at position {error.start}")
    return decode_line(text, line) if record.kind == JSON else {"document": text}


def output_records(source: Source, output: dict[str, Any]) -> list[dict[str, Any]]:
    """
    The output records of one input's prediction: one per sentence, each the predictor's
    sentence record (`tokens`, `entities`, `relations`) after its `source`; or one error record,
    `{"source", "error"}`.

    # Parameters

    source : `Source`
        Where the input comes from.
    output : `Dict[str, Any]`
        What `predict_batch_json` returned for it.
    """
    if "error" in output:
        return [{"source": source.as_json(None), "error": output["error"]}]
    sentences = output.get(SENTENCES, [output])
    return [
        {
            "source": source.as_json(index),
            **{key: sentence[key] for key in ("tokens", "entities", "relations")},
        }
        for index, sentence in enumerate(sentences)
    ]


class ShardWorker:
    """
    A predictor that turns shards into output lines.

    # Parameters

    settings : `ExtractSettings`
        The extraction's settings: the archive, `batch_size`, `window`,
        `cuda_device`.
    threads : `int`
        torch's threads in this process.
    """

    def __init__(self, settings: ExtractSettings, threads: int) -> None:
        torch.set_num_threads(threads)
        predictor = StsnPredictor.from_path(
            settings.archive, cuda_device=settings.cuda_device, batch_size=settings.batch_size
        )
        assert isinstance(predictor, StsnPredictor)
        self._predictor = predictor
        self._window = settings.window

    def run(self, task: ShardTask) -> ShardResult:
        """
        Predicts a shard.

        # Parameters

        task : `ShardTask`
            The shard.
        """
        records = list(task.records)
        lines = []
        for first in range(0, len(records), self._window):
            window = records[first : first + self._window]
            outputs = self._predictor.predict_batch_json(
                [predictor_input(record) for record in window]
            )
            for record, output in zip(window, outputs):
                lines += output_records(record.source, output)
        errors = sum("error" in line for line in lines)
        return ShardResult(
            index=task.index,
            text="".join(json.dumps(line) + "\n" for line in lines),
            inputs=len(records),
            sentences=len(lines) - errors,
            errors=errors,
        )
