"""The AllenNLP data layer: the registered readers (`stsn_spert`, `stsn_dygie`), the fields they
produce (`stsn_allennlp.data.fields`) and the resampling data loader. The plain-Python parts they
build on (sentences, file formats, tagging, sampling) are in `stsn_allennlp.core`; the names below
re-export them for the readers' users."""

from stsn_allennlp.core import (
    DataFormatError,
    Entity,
    OverlapError,
    Relation,
    Sentence,
    bio_to_entities,
    describe_record,
    entities_to_bio,
    parse_spert_record,
    read_dygie,
    read_json_lines,
    read_spert,
    read_spert_either,
    read_spert_lines,
    write_dygie,
    write_spert,
)
from stsn_allennlp.data.dataset_readers import StsnDatasetReader, StsnDygieReader, StsnSpertReader
from stsn_allennlp.data.resampling_data_loader import ResamplingDataLoader

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
