"""The plain-Python core: it imports neither torch nor AllenNLP (a lint contract and
`tests/core/test_boundary.py` check it), and no other part of the package.

- annotation: `sentence` (`Sentence`, `Entity`, `Relation`, `DataFormatError`), `spans` (the
  end-exclusive `Span`, how spans overlap, the overlap modes of decoding), `tagging` (extended BIO);
- file formats: `spert_json`, `dygie_json`, `json_lines`, `records` (the predictor's output lines),
  `json_values` (checks of parsed JSON), `convert` (SpERT <-> DyGIE), `alignment` (a gold and a
  predictions file that must hold the same sentences);
- scoring: `scoring` (NER, RE, RE+; canonical relations), `error_kinds`, `error_analysis`,
  `calibration`;
- data transforms: `sampling` (candidate spans, negatives), `cross_validation` (folds),
  `ade_no_overlap` (ADE without overlapping entities), `prepare` (the data sets where the configs
  read them);
- reports: `reports` (results as JSON, Markdown rendered from it, Markdown tables).
"""

from stsn_allennlp.core.dygie_json import read_dygie, write_dygie
from stsn_allennlp.core.json_lines import read_json_lines
from stsn_allennlp.core.scoring import JointCounts, TypeCounts, compute_scores, count_sentences
from stsn_allennlp.core.sentence import DataFormatError, Entity, Relation, Sentence, describe_record
from stsn_allennlp.core.spans import Span
from stsn_allennlp.core.spert_json import (
    parse_spert_record,
    read_spert,
    read_spert_either,
    read_spert_lines,
    write_spert,
)
from stsn_allennlp.core.tagging import OverlapError, bio_to_entities, entities_to_bio

__all__ = [
    "DataFormatError",
    "Entity",
    "JointCounts",
    "OverlapError",
    "Relation",
    "Sentence",
    "Span",
    "TypeCounts",
    "bio_to_entities",
    "compute_scores",
    "count_sentences",
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
