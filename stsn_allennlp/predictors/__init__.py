"""The `stsn` predictor (`StsnPredictor`) and its plain-Python parts: raw-text splitting
(`text`), input validation (`inputs`) and output records (`records`); `load_stsn_archive`
(`archive`) loads a model archive with a clear error when it is damaged or missing."""

from stsn_allennlp.predictors.archive import (
    DamagedArchiveError,
    MissingArchiveError,
    load_stsn_archive,
)
from stsn_allennlp.predictors.inputs import PredictorInputError
from stsn_allennlp.predictors.stsn import StsnPredictor

__all__ = [
    "DamagedArchiveError",
    "MissingArchiveError",
    "PredictorInputError",
    "StsnPredictor",
    "load_stsn_archive",
]
