from stsn_allennlp.data.dataset_readers.base import StsnDatasetReader
from stsn_allennlp.data.dataset_readers.dygie import StsnDygieReader
from stsn_allennlp.data.dataset_readers.spert import StsnSpertReader

__all__ = ["StsnDatasetReader", "StsnDygieReader", "StsnSpertReader"]
