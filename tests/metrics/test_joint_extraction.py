"""The registered AllenNLP metric, including its reduction across two gloo workers."""

import json
from pathlib import Path

import pytest
import torch.distributed as dist
from allennlp.common import Params
from allennlp.training.metrics import Metric

from stsn_allennlp.core.scoring import JointCounts, compute_scores
from stsn_allennlp.metrics import JointExtractionMetric
from stsn_allennlp.metrics.joint_extraction import PROGRESS_BAR_SCORES, named_for_allennlp
from tests import FIXTURE_DATA
from tests.forked import start_forked

Batch = tuple[list, list, list, list]


def fixture_batch() -> Batch:
    """Gold from the fixture; predictions retype the first entity of every even sentence, drop the
    relations of every third, and add an `Other` entity only in the second half."""
    records = json.loads((FIXTURE_DATA / "spert_train.json").read_text())
    batch: Batch = ([], [], [], [])
    for index, record in enumerate(records):
        gold_entities = [(e["start"], e["end"], e["type"]) for e in record["entities"]]
        gold_relations = [(r["head"], r["tail"], r["type"]) for r in record["relations"]]
        predicted_entities = list(gold_entities)
        if index % 2 == 0 and predicted_entities:
            start, end, _ = predicted_entities[0]
            predicted_entities[0] = (start, end, "Loc")
        if index >= len(records) // 2:
            predicted_entities.append((0, 1, "Other"))
        predicted_relations = [] if index % 3 == 1 else list(gold_relations)
        for part, value in zip(
            batch, (predicted_entities, predicted_relations, gold_entities, gold_relations)
        ):
            part.append(value)
    return batch


def half(batch: Batch, rank: int) -> Batch:
    middle = len(batch[0]) // 2
    return tuple(part[middle:] if rank else part[:middle] for part in batch)  # type: ignore


def test_registered_and_constructible_from_params():
    assert Metric.by_name("joint_extraction") is JointExtractionMetric
    metric = Metric.from_params(
        Params({"type": "joint_extraction", "symmetric_relation_types": ["PER-SOC"]})
    )
    entities = [[(0, 1, "PER"), (3, 4, "PER")]]
    metric(entities, [[(1, 0, "PER-SOC")]], entities, [[(0, 1, "PER-SOC")]])
    assert metric.get_metric()["re_plus_f1_micro"] == 100.0


def test_accumulates_over_batches_and_resets():
    batch = fixture_batch()
    metric = JointExtractionMetric()
    metric(*half(batch, 0))
    metric(*half(batch, 1))
    expected = JointCounts()
    for pred_entities, pred_relations, gold_entities, gold_relations in zip(*batch):
        expected.add_sentence(gold_entities, gold_relations, pred_entities, pred_relations)
    scores = metric.get_metric(reset=False)
    assert scores == named_for_allennlp(compute_scores(expected))
    assert 0 < scores["re_plus_f1_micro"] < scores["re_f1_micro"] < 100
    assert metric.get_metric(reset=True) == scores
    assert metric.get_metric()["ner_f1_micro"] == 0.0


def test_batch_parts_of_different_lengths_are_an_error():
    metric = JointExtractionMetric()
    with pytest.raises(ValueError, match="one entry per sentence"):
        metric([[]], [[]], [[], []], [[], []])


def _worker(rank: int, init_file: str, batch: Batch, out_dir: str) -> None:
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=2)
    try:
        metric = JointExtractionMetric()
        metric(*half(batch, rank))
        # Twice: reading the metric must not add the other worker's counts to this one's.
        results: list[dict] = [metric.get_metric(reset=False), metric.get_metric(reset=True)]
        results.append(metric.get_metric())
        Path(out_dir, f"{rank}.json").write_text(json.dumps(results))
    finally:
        dist.destroy_process_group()


def test_counts_are_summed_across_two_gloo_workers(tmp_path):
    batch = fixture_batch()
    start_forked(_worker, args=(str(tmp_path / "init"), batch, str(tmp_path)), nprocs=2)

    single = JointExtractionMetric()
    single(*batch)
    expected = single.get_metric()
    first_half = JointExtractionMetric()
    first_half(*half(batch, 0))
    assert first_half.get_metric() != expected
    assert "_ner_Other_f1" not in first_half.get_metric()  # a type only worker 1 saw
    assert "_ner_Other_f1" in expected
    empty = JointExtractionMetric().get_metric()
    for rank in (0, 1):
        results = json.loads((tmp_path / f"{rank}.json").read_text())
        assert results == [expected, expected, empty]


def test_the_progress_bar_shows_the_headline_scores_and_every_score_is_kept():
    batch = fixture_batch()
    metric = JointExtractionMetric()
    metric(*batch)
    reported = metric.get_metric()
    in_bar = [key for key in reported if not key.startswith("_")]  # AllenNLP's rule
    assert in_bar == list(PROGRESS_BAR_SCORES)
    assert in_bar[:3] == ["ner_f1_micro", "re_f1_micro", "re_plus_f1_micro"]
    assert len(in_bar) + 2 <= 10  # AllenNLP adds the loss and the batch loss
    # nothing is lost: every score of `compute_scores`, the others under their name with a `_`
    counts = JointCounts()
    for pred_entities, pred_relations, gold_entities, gold_relations in zip(*batch):
        counts.add_sentence(gold_entities, gold_relations, pred_entities, pred_relations)
    scores = compute_scores(counts)
    assert {key[1:] if key.startswith("_") else key: v for key, v in reported.items()} == scores
    assert {"_ner_Peop_f1", "_re_plus_Work_For_recall", "_re_f1_macro"} <= set(reported)
