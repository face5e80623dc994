"""Summaries of runs: mean, sample standard deviation, top-k mean, and scores of a split."""

import statistics

import pytest

from stsn_allennlp.experiments.statistics import split_scores, summarize
from tests.experiments import RUNS


def test_mean_and_sample_standard_deviation_of_the_metrics_every_run_reports():
    summary = summarize(RUNS)
    assert summary.names == list(RUNS)
    assert set(summary.mean) == {"re_plus_f1_micro", "ner_f1_micro"}
    assert summary.mean["ner_f1_micro"] == pytest.approx(87.5)
    assert summary.std["re_plus_f1_micro"] == pytest.approx(statistics.stdev([60, 64, 62, 64]))
    assert summary.top_k_mean is None and summary.top_k_names == []


def test_top_k_averages_the_best_runs_by_the_ranking_metric_ties_in_order():
    summary = summarize(RUNS, top_k=2, rank_by="re_plus_f1_micro")
    assert summary.top_k_names == ["seed_2", "seed_4"]
    assert summary.top_k_mean == {"re_plus_f1_micro": 64.0, "ner_f1_micro": 87.5}
    assert summarize(RUNS, top_k=1, rank_by="ner_f1_micro").top_k_names == ["seed_2"]


def test_one_run_has_no_standard_deviation():
    summary = summarize({"run": {"ner_f1_micro": 50.0}})
    assert summary.mean == {"ner_f1_micro": 50.0} and summary.std == {"ner_f1_micro": None}


@pytest.mark.parametrize(
    "runs, top_k, rank_by, message",
    [
        ({}, None, "re_plus_f1_micro", "no runs"),
        (RUNS, 5, "re_plus_f1_micro", r"top-k must lie in \[1, 4\]"),
        (RUNS, 0, "re_plus_f1_micro", "top-k must lie"),
        (RUNS, 2, "ner_Peop_f1", r"\['seed_3'\] report no 'ner_Peop_f1'"),
    ],
)
def test_impossible_summaries_are_errors(runs, top_k, rank_by, message):
    with pytest.raises(ValueError, match=message):
        summarize(runs, top_k, rank_by)


def test_split_scores_strip_the_prefixes_and_skip_other_entries():
    metrics = {
        "best_epoch": 3,
        "test_ner_f1_micro": 80.0,
        "test__ner_Peop_f1": 75.0,
        "test_loss": 1.5,
        "best_validation_ner_f1_micro": 82.0,
        "validation_ner_f1_micro": 70.0,
        "training_duration": "0:01:00",
    }
    # without the `_` that keeps a score out of AllenNLP's progress bar
    assert split_scores(metrics, "test") == {"ner_f1_micro": 80.0, "ner_Peop_f1": 75.0, "loss": 1.5}
    assert split_scores(metrics, "validation") == {"ner_f1_micro": 82.0}
