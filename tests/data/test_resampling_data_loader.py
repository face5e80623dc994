"""The `stsn_resampling` data loader: every epoch after the first reads the data again with the
reader told the epoch, so each epoch trains on fresh negative spans and pairs of each sentence."""

import json
from typing import NamedTuple

import pytest
from allennlp.common.checks import ConfigurationError
from allennlp.data import DataLoader, TensorDict, Vocabulary

from stsn_allennlp.data import StsnSpertReader
from stsn_allennlp.data.resampling_data_loader import ResamplingDataLoader
from tests import FIXTURE_DATA, TINY_BERT

TRAIN = FIXTURE_DATA / "spert_train.json"
PADDING = [-1, -1]


class Drawn(NamedTuple):
    """The spans and entity pairs of one sentence in one epoch: gold first, then negatives."""

    gold_spans: list[tuple[int, int]]
    negative_spans: list[tuple[int, int]]
    gold_pairs: list[tuple[int, int]]
    negative_pairs: list[tuple[int, int]]


Epoch = dict[str, Drawn]  # by the sentence's words


def loader(**kwargs) -> ResamplingDataLoader:
    """The loader over the fixture training data with a reader that samples few negatives."""
    reader = StsnSpertReader(
        model_name=str(TINY_BERT), sample_negatives=True, negative_spans=3, negative_pairs=1
    )
    return ResamplingDataLoader(reader, str(TRAIN), batch_size=3, **kwargs)


def drawn(batch: TensorDict) -> Epoch:
    """The spans and pairs of each sentence of `batch`, without padding."""
    sentences = {}
    for row, metadata in enumerate(batch["metadata"]):
        spans = [tuple(span) for span in batch["spans"][row].tolist() if span != PADDING]
        pairs = [tuple(pair) for pair in batch["relation_pairs"][row].tolist() if pair != PADDING]
        num_spans = len(metadata["gold_entities"])
        num_pairs = len({(head, tail) for head, tail, _ in metadata["gold_relations"]})
        sentences[" ".join(metadata["tokens"])] = Drawn(
            spans[:num_spans], spans[num_spans:], pairs[:num_pairs], pairs[num_pairs:]
        )
    return sentences


def one_epoch(data_loader: DataLoader) -> Epoch:
    """The spans and pairs of each sentence in every batch of the loader's next epoch."""
    return {words: sentence for batch in data_loader for words, sentence in drawn(batch).items()}


def two_epochs() -> tuple[Epoch, Epoch]:
    """What a fresh loader gives in its first and in its second epoch."""
    data_loader = loader()
    data_loader.index_with(Vocabulary.from_instances(data_loader.iter_instances()))
    first = one_epoch(data_loader)
    return first, one_epoch(data_loader)


@pytest.fixture(scope="module")
def epochs() -> tuple[Epoch, Epoch]:
    return two_epochs()


def test_both_epochs_hold_every_sentence(epochs):
    first, second = epochs
    assert len(first) == len(json.loads(TRAIN.read_text()))  # no two sentences share their words
    assert second.keys() == first.keys()


@pytest.mark.parametrize("negatives", ["negative_spans", "negative_pairs"])
def test_the_second_epoch_samples_other_negatives_of_the_same_sentence(epochs, negatives):
    first, second = epochs
    changed = [
        words
        for words, sentence in first.items()
        if getattr(sentence, negatives) != getattr(second[words], negatives)
    ]
    assert changed, f"every sentence kept its {negatives}"


def test_the_gold_spans_and_pairs_are_the_same_every_epoch(epochs):
    first, second = epochs
    for words in first:
        assert first[words].gold_spans == second[words].gold_spans, words
        assert first[words].gold_pairs == second[words].gold_pairs, words


def test_every_run_samples_the_same_negatives_in_the_same_epoch(epochs):
    assert two_epochs() == epochs


@pytest.mark.parametrize("setting", [{"num_workers": 1}, {"max_instances_in_memory": 4}])
def test_worker_processes_and_lazy_reading_are_refused(setting):
    with pytest.raises(ConfigurationError, match="stsn_resampling reads in-process"):
        loader(**setting)
