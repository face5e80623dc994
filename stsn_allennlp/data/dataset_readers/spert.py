"""The `stsn_spert` reader: SpERT JSON (CoNLL04, ADE, SciERC) into STSN instances."""

from collections.abc import Iterable

from allennlp.data import DatasetReader

from stsn_allennlp.core.sentence import Sentence
from stsn_allennlp.core.spert_json import read_spert
from stsn_allennlp.data.dataset_readers.base import StsnDatasetReader


@DatasetReader.register("stsn_spert")
class StsnSpertReader(StsnDatasetReader):
    """
    Reads SpERT's JSON format (`stsn_allennlp.core.spert_json`): one instance per record, with
    `record` (the index in the list) and `orig_id` in the metadata. The parameters and fields are
    those of `StsnDatasetReader`.
    """

    def read_sentences(self, file_path: str) -> Iterable[Sentence]:
        return read_spert(file_path)
