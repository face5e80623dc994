"""The `stsn` predictor: raw text, words or gold files in, SpERT-compatible predictions out."""

import json
from collections.abc import Iterator, Sequence
from os import PathLike
from typing import Any

from allennlp.common import plugins
from allennlp.common.checks import ConfigurationError
from allennlp.common.util import JsonDict, sanitize
from allennlp.data import DatasetReader, Instance
from allennlp.models import Model
from allennlp.predictors import Predictor

from stsn_allennlp.core.records import (
    SENTENCES,
    empty_record,
    output_lines,
    provenance,
    sentence_record,
)
from stsn_allennlp.data.fields import METADATA, TOKENS
from stsn_allennlp.predictors.archive import load_stsn_archive
from stsn_allennlp.predictors.inputs import (
    ParsedInput,
    PredictorInputError,
    decode_line,
    parse_input,
)


@Predictor.register("stsn")
class StsnPredictor(Predictor):
    """
    Predicts entities and relations with an `stsn` model, for `allennlp predict` and from Python
    (the README's "Predicting" section shows both).

    Registered as a `Predictor` with name "stsn" (the `stsn` model's default predictor).

    An input is a JSON object with exactly one of `sentence` (raw text, tokenized by spaCy's
    rule-based English tokenizer), `document` (raw text, split into sentences by spaCy's
    `sentencizer`) or `tokens` (one tokenized sentence); with `--use-dataset-reader` the
    archive's reader reads a gold file instead. A sentence comes out as a SpERT record (`tokens`,
    `entities` with `end` exclusive, `relations` indexing `entities`, scores), with character
    offsets into the input for raw text; a document as `{"sentences": [...]}`. `dump_line` writes
    one sentence per line, each with its input `"line"`. Empty text gives an empty sentence; an
    input of the wrong shape is a `PredictorInputError` naming the key, which `predict` raises and
    `predict_json` / `predict_batch_json` answer with `{"error": ...}`. `from_path` loads through
    `load_stsn_archive`, so a damaged archive is a `DamagedArchiveError` naming the file.

    # Parameters

    model : `Model`
        A trained `stsn` model.
    dataset_reader : `DatasetReader`
        An STSN dataset reader (`stsn_spert` or `stsn_dygie`) of the same transformer.
    frozen : `bool`, optional (default = `True`)
        Put the model in evaluation mode.
    batch_size : `int`, optional (default = `32`)
        The most sentences run through the model at once; a document's sentences (and a batch's)
        are sorted by length into batches of this size.
    """

    def __init__(
        self,
        model: Model,
        dataset_reader: DatasetReader,
        frozen: bool = True,
        batch_size: int = 32,
    ) -> None:
        super().__init__(model, dataset_reader, frozen)
        if batch_size < 1:
            raise ConfigurationError(f"batch_size must be positive, got {batch_size}")
        self._batch_size = batch_size
        self._lines_read = 0

    @property
    def model(self) -> Model:
        """The model the predictor runs (e.g. to replace its `decoder`)."""
        return self._model

    @property
    def batch_size(self) -> int:
        """The most sentences run through the model at once."""
        return self._batch_size

    @property
    def dataset_reader(self) -> DatasetReader:
        """The reader that turns inputs into instances."""
        return self._dataset_reader

    @classmethod
    def from_path(
        cls,
        archive_path: str | PathLike,
        predictor_name: str | None = "stsn",
        cuda_device: int = -1,
        dataset_reader_to_load: str = "validation",
        frozen: bool = True,
        import_plugins: bool = True,
        overrides: str | dict[str, Any] = "",
        **kwargs,
    ) -> Predictor:
        """
        `Predictor.from_path`, with the `stsn` predictor by default, but a truncated or corrupted
        archive is a `DamagedArchiveError` that names it (`load_stsn_archive`) instead of a bare
        `EOFError`. Call it on this class: `StsnPredictor.from_path("model.tar.gz")`.

        # Parameters

        archive_path : `Union[str, PathLike]`
            The model archive (or serialization directory).
        predictor_name : `str`, optional (default = `"stsn"`)
            The registered predictor to build.
        cuda_device : `int`, optional (default = `-1`)
            The GPU to load the model onto; CPU if negative.
        dataset_reader_to_load : `str`, optional (default = `"validation"`)
            `"validation"` or `"train"`: the archived dataset reader to use.
        frozen : `bool`, optional (default = `True`)
            Put the model in evaluation mode.
        import_plugins : `bool`, optional (default = `True`)
            Import AllenNLP plugins first.
        overrides : `Union[str, Dict[str, Any]]`, optional (default = `""`)
            JSON overrides of the archived config.
        **kwargs
            Passed to the predictor's constructor (e.g. `batch_size`).
        """
        if import_plugins:
            plugins.import_plugins()
        return Predictor.from_archive(
            load_stsn_archive(archive_path, cuda_device=cuda_device, overrides=overrides),
            predictor_name,  # type: ignore[arg-type]  # AllenNLP's None default, typed str
            dataset_reader_to_load=dataset_reader_to_load,
            frozen=frozen,
            extra_args=kwargs,
        )

    def predict(
        self,
        sentence: str | None = None,
        document: str | None = None,
        tokens: list[str] | None = None,
    ) -> JsonDict:
        """
        Predicts one input given as exactly one of the keyword arguments.

        # Parameters

        sentence : `str`, optional
            Raw text, one sentence.
        document : `str`, optional
            Raw text, split into sentences.
        tokens : `List[str]`, optional
            The words of one sentence.

        # Raises

        `PredictorInputError` when not exactly one argument is given, or one of the wrong type.
        """
        given = {"sentence": sentence, "document": document, "tokens": tokens}
        return self._predict_inputs(
            [{key: value for key, value in given.items() if value is not None}], raise_errors=True
        )[0]

    def predict_json(self, inputs: JsonDict) -> JsonDict:
        """The prediction of one JSON input, or `{"error": ...}` when it is invalid."""
        return self._predict_inputs([inputs], raise_errors=False)[0]

    def predict_batch_json(self, inputs: list[JsonDict]) -> list[JsonDict]:
        """The predictions of JSON inputs, `{"error": ...}` for each invalid one."""
        return self._predict_inputs(inputs, raise_errors=False)

    def predict_instance(self, instance: Instance) -> JsonDict:
        """The sentence record of a dataset reader's instance (its gold annotation is ignored)."""
        return self.predict_batch_instance([instance])[0]

    def predict_batch_instance(self, instances: list[Instance]) -> list[JsonDict]:
        """
        The sentence records of a dataset reader's instances. Each is rebuilt from its words
        without gold fields, so every candidate span is classified whatever the reader's sampling.
        """
        metadata = [instance[METADATA].metadata for instance in instances]  # type: ignore
        reader = self._dataset_reader
        outputs = self._forward(
            [reader.text_to_instance(meta["tokens"], **provenance(meta)) for meta in metadata]
        )
        return [
            {**provenance(meta), **sentence_record(output)}
            for meta, output in zip(metadata, outputs)
        ]

    def load_line(self, line: str, number: int | None = None) -> JsonDict:
        """
        Decodes a line of an input file, numbered; an undecodable line does not raise, and a blank
        line is an empty sentence.

        # Parameters

        line : `str`
            The line.
        number : `int`, optional (default = `None`)
            Its line in the file (from 1), as `allennlp predict` gives it; `None` counts the lines
            this predictor was given.
        """
        self._lines_read = self._lines_read + 1 if number is None else number
        return decode_line(line, self._lines_read)

    def dump_line(self, outputs: JsonDict) -> str:
        """One JSON line (ASCII, non-ASCII characters escaped) per sentence, so a document gives
        several; an error record is one line."""
        return "".join(json.dumps(record) + "\n" for record in output_lines(outputs))

    def json_to_instance(self, json_dict: JsonDict) -> Instance:
        """The instance of a `sentence` or `tokens` input (a document makes several)."""
        parsed = parse_input(json_dict)
        if parsed.key == "document" or not parsed.sentences[0].tokens:
            raise PredictorInputError(
                "only a non-empty 'sentence' or 'tokens' input makes a single instance; use "
                "predict_json for documents and empty text",
                parsed.line,
            )
        return self._dataset_reader.text_to_instance(parsed.sentences[0].tokens)

    _json_to_instance = json_to_instance  # the name AllenNLP's `Predictor` calls

    def _predict_inputs(self, inputs: Sequence[Any], raise_errors: bool) -> list[JsonDict]:
        """Parses the inputs, runs every non-empty sentence of all of them, then regroups."""
        parsed: list[ParsedInput | PredictorInputError] = []
        for item in inputs:
            try:
                parsed.append(parse_input(item))
            except PredictorInputError as error:
                if raise_errors:
                    raise
                parsed.append(error)
        instances = [
            self._dataset_reader.text_to_instance(sentence.tokens)
            for item in parsed
            if isinstance(item, ParsedInput)
            for sentence in item.sentences
            if sentence.tokens
        ]
        outputs = iter(self._forward(instances))
        return [_input_record(item, outputs) for item in parsed]

    def _forward(self, instances: list[Instance]) -> list[dict[str, Any]]:
        """The model's outputs, in order, from batches of at most `batch_size` sentences of
        similar length."""
        order = sorted(range(len(instances)), key=lambda index: len(instances[index][TOKENS]))
        outputs: list[dict[str, Any]] = [{} for _ in instances]
        for first in range(0, len(order), self._batch_size):
            batch = order[first : first + self._batch_size]
            for index in batch:
                self._dataset_reader.apply_token_indexers(instances[index])
            results = self._model.forward_on_instances([instances[index] for index in batch])
            for index, result in zip(batch, results):
                outputs[index] = sanitize(result)
        return outputs


def _input_record(
    parsed: ParsedInput | PredictorInputError, outputs: Iterator[dict[str, Any]]
) -> JsonDict:
    """One input's prediction (or error) from the model outputs of its non-empty sentences."""
    line = {} if parsed.line is None else {"line": parsed.line}
    if isinstance(parsed, PredictorInputError):
        return {**line, "error": str(parsed)}
    records = [
        sentence_record(next(outputs), parsed.text, sentence.offsets)
        if sentence.tokens
        else empty_record()
        for sentence in parsed.sentences
    ]
    if parsed.key == "document":
        return {
            **line,
            SENTENCES: [
                {"sentence_index": index, **record} for index, record in enumerate(records)
            ],
        }
    return {**line, **records[0]}
