"""Helpers shared by the core tests."""

from typing import NamedTuple


class Annotated(NamedTuple):
    """A sentence in the shape `stsn_allennlp.core.scoring.AnnotatedSentence` asks for."""

    tokens: list[str]
    entities: list[tuple[int, int, str]]
    relations: list[tuple[int, int, str]]
