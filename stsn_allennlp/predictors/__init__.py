"""The `stsn` predictor (`StsnPredictor`) and its plain-Python parts: raw-text splitting
(`text`), input validation (`inputs`) and output records (`records`)."""
from stsn_allennlp.predictors.inputs import PredictorInputError
from stsn_allennlp.predictors.stsn import StsnPredictor

__all__ = ["PredictorInputError", "StsnPredictor"]
