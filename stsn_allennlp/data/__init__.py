"""The data layer: sentence formats, extended BIO tagging, span sampling and the registered readers
(`stsn_spert`, `stsn_dygie`). The fields they produce are defined in `stsn_allennlp.data.fields`."""

from stsn_allennlp.data.dataset_readers import StsnDatasetReader, StsnDygieReader, StsnSpertReader
from stsn_allennlp.data.dygie_json import read_dygie, write_dygie
from stsn_allennlp.data.json_lines import read_json_lines
from stsn_allennlp.data.resampling_data_loader import ResamplingDataLoader
from stsn_allennlp.data.sentence import DataFormatError, Entity, Relation, Sentence, describe_record
from stsn_allennlp.data.spert_json import (
    parse_spert_record,
    read_spert,
    read_spert_either,
    read_spert_lines,
    write_spert,
)
from stsn_allennlp.data.tagging import OverlapError, bio_to_entities, entities_to_bio

__all__ = [
    "DataFormatError",
    "Entity",
    "OverlapError",
    "Relation",
    "ResamplingDataLoader",
    "Sentence",
    "StsnDatasetReader",
    "StsnDygieReader",
    "StsnSpertReader",
    "bio_to_entities",
    "describe_record",
    "entities_to_bio",
    "parse_spert_record",
    "read_dygie",
    "read_json_lines",
    "read_spert",
    "read_spert_either",
    "read_spert_lines",
    "write_dygie",
    "write_spert",
]
