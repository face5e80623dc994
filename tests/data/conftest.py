"""The predictor tests' session archive, for the data tests that evaluate and predict with it."""

from tests.predictors.conftest import archive, predictor

__all__ = ["archive", "predictor"]
