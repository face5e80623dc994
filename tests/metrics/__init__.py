"""Helpers shared by the metric tests."""
from typing import List, NamedTuple, Tuple


class Annotated(NamedTuple):
    """A sentence in the shape `stsn_allennlp.metrics.scoring.AnnotatedSentence` asks for."""

    tokens: List[str]
    entities: List[Tuple[int, int, str]]
    relations: List[Tuple[int, int, str]]
