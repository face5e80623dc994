"""The `stsn_dygie` reader: DyGIE JSON lines (ACE05) into STSN instances."""

from collections.abc import Iterable

from allennlp.data import DatasetReader

from stsn_allennlp.core.dygie_json import read_dygie
from stsn_allennlp.core.sentence import Sentence
from stsn_allennlp.data.dataset_readers.base import StsnDatasetReader


@DatasetReader.register("stsn_dygie")
class StsnDygieReader(StsnDatasetReader):
    """
    Reads DyGIE's JSON lines (`stsn_allennlp.core.dygie_json`): one instance per sentence of each
    document, offsets made sentence-level and end-exclusive, relations mapped to entity indices,
    with `record` (the line), `doc_key` and `sentence_index` in the metadata. Sentences carry no
    context from their neighbours. The parameters and fields are those of `StsnDatasetReader`.
    """

    def read_sentences(self, file_path: str) -> Iterable[Sentence]:
        return read_dygie(file_path)
