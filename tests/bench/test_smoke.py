"""
Each benchmark script runs end to end, in-process, on the fixtures (tiny BERT, a few sentences) with
a budget of one pass, and writes its results into a temporary folder: a rename in the library or in
`bench/` that breaks a script fails here instead of at the next benchmark run. The figures are not
checked, only that each result holds what its report reads.
"""

import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import _jsonnet
import pytest
import torch

# bench.common pins torch's threads at import: keep the test session's own count
os.environ.setdefault("BENCH_THREADS", str(torch.get_num_threads()))

from allennlp.commands.train import train_model_from_file

from bench import (
    accuracy,
    ade,
    argument_types,
    long_sentences,
    scaling,
    speed,
    threshold,
    worst_case,
)
from bench.common import BenchData
from stsn_allennlp.data import Entity, Relation, Sentence, read_spert
from tests import FIXTURE_DATA, FIXTURES

FIXTURE_DATA_ARGUMENTS = [
    "--config",
    str(FIXTURES / "stsn_fixture.jsonnet"),
    "--train-file",
    str(FIXTURE_DATA / "spert_train.json"),
    "--dev-file",
    str(FIXTURE_DATA / "spert_dev.json"),
]


def run(monkeypatch: pytest.MonkeyPatch, script: ModuleType, *arguments: str) -> None:
    """Runs `script.main()` with the command line `arguments`."""
    monkeypatch.setattr(sys, "argv", [script.__name__, *arguments])
    script.main()


def results(path: Path) -> dict[str, Any]:
    """The JSON results at `path`, after checking that the Markdown report lies beside them."""
    assert path.with_suffix(".md").is_file()
    return json.loads(path.read_text())


def test_speed_measures_each_batch_size_and_the_flop_ratio(monkeypatch, tmp_path):
    run(
        monkeypatch,
        speed,
        "--batch-sizes",
        "1",
        "2",
        "--repeats",
        "1",
        "--train-repeats",
        "1",
        "--archive",
        str(tmp_path / "absent.tar.gz"),
        "--output-dir",
        str(tmp_path),
        *FIXTURE_DATA_ARGUMENTS,
    )
    result = results(tmp_path / "speed.json")
    assert set(result["batches"]) == {"1", "2"}
    assert set(result["batches"]["2"]["inference"]) >= {"encoder", "ceiling", "stsn"}
    assert set(result["batches"]["2"]["training"]) >= {"encoder", "stsn"}
    assert result["flops"]["inference"]["ratio"] > 1
    assert set(result["goals"]) >= {"batched_speedup", "batched_goal", "training_goal"}
    # a fresh model predicts the dev set's gold density of single-word entities
    sentences = read_spert(FIXTURE_DATA / "spert_dev.json")
    density = sum(len(s.entities) for s in sentences) / sum(len(s.tokens) for s in sentences)
    expected = sum(round(density * len(s.tokens)) for s in sentences) / len(sentences)
    assert result["flops"]["average_sentence"]["entities_predicted"] == pytest.approx(
        expected, abs=0.01
    )


def test_scaling_measures_each_point_and_plots_both_series(monkeypatch, tmp_path):
    run(
        monkeypatch,
        scaling,
        "--in-process",
        "--lengths",
        "12",
        "--entity-counts",
        "3",
        "--repeats",
        "1",
        "--archive",
        str(tmp_path / "absent.tar.gz"),
        "--output-dir",
        str(tmp_path),
        "--runs-dir",
        str(tmp_path / "runs"),
        *FIXTURE_DATA_ARGUMENTS,
    )
    result = results(tmp_path / "scaling.json")
    points = {(point["kind"], point["mode"]): point for point in result["points"]}
    assert set(points) == {
        (kind, mode) for kind in ("length", "entities") for mode in ("inference", "training")
    }
    assert points["entities", "inference"]["predicted_entities"] == 3
    assert points["entities", "inference"]["pairs"] == 6
    assert result["goal_memory_400"]["words"] == 12
    assert (tmp_path / "scaling_length.png").is_file() and (
        tmp_path / "scaling_entities.png"
    ).is_file()


def test_worst_case_predicts_up_to_the_caps(monkeypatch, tmp_path):
    run(
        monkeypatch,
        worst_case,
        "--words",
        "12",
        "--output-dir",
        str(tmp_path),
        *FIXTURE_DATA_ARGUMENTS,
    )
    result = results(tmp_path / "worst_case.json")
    assert result["words"] == 12
    # every candidate span is an entity and every pair related, up to the per-word caps (2 and 2)
    assert result["entities_returned"] == result["relations_returned"] == 24
    assert result["target"] == worst_case.TARGET


def summary(recipe: str, seed: int, ner: float, re_plus: float) -> dict[str, Any]:
    """A run's `summary.json`, as `bench.accuracy summarize` writes it."""
    scores = {
        "ner_f1_micro": ner,
        "re_f1_micro": re_plus + 1,
        "re_plus_f1_micro": re_plus,
        "re_plus_precision_micro": re_plus - 1,
        "re_plus_recall_micro": re_plus + 1,
    }
    return {
        "recipe": recipe,
        "seed": seed,
        "dataset": "conll04",
        "settings": {**accuracy.RECIPES[recipe], "seed": seed},
        "overrides": {},
        "wall_seconds": 60.0,
        "threads": "1",
        "best_epoch": 1,
        "kept": scores,
        "epochs": [
            {"epoch": epoch, "training_loss": 1.0 / (epoch + 1), **scores} for epoch in range(2)
        ],
        "decodings": {"any": scores, "none": scores},
    }


def accuracy_report(monkeypatch, tmp_path) -> None:
    """`bench.accuracy report` over `tmp_path / "runs"`, its results into `tmp_path`."""
    run(
        monkeypatch,
        accuracy,
        "report",
        "--runs-dir",
        str(tmp_path / "runs"),
        "--output-dir",
        str(tmp_path),
    )


def test_accuracy_reports_finished_runs(monkeypatch, tmp_path):
    runs = tmp_path / "runs" / "accuracy"
    for recipe, seed, ner, re_plus in (
        ("paper", 13, 74.0, 44.0),
        ("best", 13, 85.0, 66.0),
        ("best", 14, 86.0, 67.0),
        ("best_n0", 13, 84.0, 65.0),
    ):
        folder = runs / accuracy.run_name(recipe, seed, "conll04")
        folder.mkdir(parents=True)
        run_summary = summary(recipe, seed, ner, re_plus)
        if (recipe, seed) == ("best", 14):  # scored since the long-sentence table exists
            run_summary["long_sentences"] = {
                "sentences": 24,
                "gold_relations": 50,
                "ner_f1_micro": 80.0,
                "re_plus_f1_micro": 45.0,
            }
        (folder / "summary.json").write_text(json.dumps(run_summary))
    accuracy_report(monkeypatch, tmp_path)
    result = results(tmp_path / "accuracy.json")
    assert sorted((run["recipe"], run["seed"]) for run in result["runs"]) == [
        ("best", 13),
        ("best", 14),
        ("best_n0", 13),
        ("paper", 13),
    ]
    report = (tmp_path / "accuracy.md").read_text()
    assert "(`best`, 2 seed(s)): NER 85.50, RE+ 66.50; its estimate not run: **not met**" in report
    assert (
        "`best` minus its N = 0 ablation `best_n0`, dev RE+ of the same seeds: seed 13: +1.00."
        in report
    )
    assert "(24 sentences, 50 gold relations)" in report
    assert (
        "| best: the shipped configs before the argument-type restriction | 14 | 80.00 | 45.00 "
        "| 45.0 |" in report
    )
    assert (tmp_path / "accuracy_curves.png").is_file()


@pytest.mark.parametrize("fold_re_plus, met", [([65.0, 67.5], True), ([64.0, 67.0], False)])
def test_accuracy_goal_needs_three_dev_seeds_and_the_estimate(
    monkeypatch, tmp_path, fold_re_plus, met
):
    runs = tmp_path / "runs" / "accuracy"
    for seed in (13, 14, 15):
        folder = runs / accuracy.run_name("best", seed, "conll04")
        folder.mkdir(parents=True)
        (folder / "summary.json").write_text(json.dumps(summary("best", seed, 86.0, 68.0)))
    (runs / "cv_best").mkdir()
    (runs / "cv_best" / "results.json").write_text(
        json.dumps(cross_validation([13], [fold_re_plus]))
    )
    accuracy_report(monkeypatch, tmp_path)
    verdict = results(tmp_path / "accuracy.json")["goal"]
    assert verdict["seeds"] == 3
    assert verdict["met"] is met


def test_accuracy_goal_takes_each_part_from_the_first_shipped_recipe_that_measured_it(
    monkeypatch, tmp_path
):
    previous, shipped = accuracy.SHIPPED[-1], accuracy.SHIPPED[0]
    runs = tmp_path / "runs" / "accuracy"
    for seed in (13, 14, 15):
        folder = runs / accuracy.run_name(previous, seed, "conll04")
        folder.mkdir(parents=True)
        (folder / "summary.json").write_text(json.dumps(summary(previous, seed, 86.0, 68.0)))
    for recipe, fold_re_plus in ((previous, [64.0, 67.0]), (shipped, [65.0, 67.5])):
        (runs / f"cv_{recipe}").mkdir()
        (runs / f"cv_{recipe}" / "results.json").write_text(
            json.dumps(cross_validation([13], [fold_re_plus]))
        )
    accuracy_report(monkeypatch, tmp_path)
    verdict = results(tmp_path / "accuracy.json")["goal"]
    assert (verdict["dev_recipe"], verdict["estimate_recipe"]) == (previous, shipped)
    assert verdict["estimate"]["re_plus_f1_micro"] == 66.25
    assert verdict["met"] is True


def cross_validation(seeds: list[int], fold_scores: list[list[float]]) -> dict[str, Any]:
    """A cross-validation's `results.json` (RE+ per fold of each seed), as the protocol writes it."""

    def scores(re_plus: float) -> dict[str, float]:
        return {"ner_f1_micro": 85.0, "re_f1_micro": re_plus + 1, "re_plus_f1_micro": re_plus}

    runs = [
        {
            "name": f"seed_{seed}",
            "scores": scores(sum(folds) / len(folds)),
            "folds": [
                {
                    "name": f"fold_{k}",
                    "scores": scores(v),
                    # a folder without `long_sentences.json`: a fold scored before it existed
                    "serialization_dir": f"/nonexistent/seed_{seed}/fold_{k}",
                }
                for k, v in enumerate(folds)
            ],
        }
        for seed, folds in zip(seeds, fold_scores, strict=True)
    ]
    seed_means = [run["scores"]["re_plus_f1_micro"] for run in runs]
    return {
        "seeds": seeds,
        "folds": len(fold_scores[0]),
        "runs": runs,
        "summary": {"mean": scores(sum(seed_means) / len(seed_means))},
    }


def test_accuracy_reports_the_cross_validation_beside_the_dev_score(monkeypatch, tmp_path):
    runs = tmp_path / "runs" / "accuracy"
    folder = runs / accuracy.run_name("best", 13, "conll04")
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps(summary("best", 13, 85.0, 68.0)))
    (runs / "cv_best").mkdir()
    (runs / "cv_best" / "results.json").write_text(
        json.dumps(cross_validation([13, 14], [[60.0, 64.0], [62.0, 66.0]]))
    )
    accuracy_report(monkeypatch, tmp_path)
    estimate = results(tmp_path / "accuracy.json")["cross_validation"]["best"]
    assert estimate["re_plus_f1_micro"] == 63.0
    assert estimate["re_plus_f1_micro_runs"] == [60.0, 64.0, 62.0, 66.0]
    assert estimate["re_plus_f1_micro_std"] == 2.58  # over the four folds of both seeds
    report = (tmp_path / "accuracy.md").read_text()
    row = "| 13, 14 | 0, 1 | 85.00 | 68.00 | 85.00 ± 0.00 | 63.00 ± 2.58 | 60.0 / 64.0 / 62.0 / 66.0 |"
    assert row in report


def test_accuracy_report_keeps_recorded_runs_whose_folders_are_gone(monkeypatch, tmp_path):
    runs = tmp_path / "runs" / "accuracy"
    (tmp_path / "accuracy.json").write_text(
        json.dumps(
            {
                "runs": [summary("best", 13, 85.0, 66.0), summary("best", 14, 86.0, 67.0)],
                "cross_validation": {
                    "best": accuracy.cv_scores(cross_validation([13], [[61.0, 65.0]]))
                },
            }
        )
    )
    folder = runs / accuracy.run_name("best", 14, "conll04")
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps(summary("best", 14, 87.0, 69.0)))
    # the shape of a fresh clone: the cross-validation's folder is gone too
    accuracy_report(monkeypatch, tmp_path)
    result = results(tmp_path / "accuracy.json")
    # seed 13 only in the record, seed 14 on disk (which replaces its record)
    assert sorted((run["seed"], run["kept"]["ner_f1_micro"]) for run in result["runs"]) == [
        (13, 85.0),
        (14, 87.0),
    ]
    assert result["cross_validation"]["best"]["re_plus_f1_micro"] == 63.0


def test_cv_differences_pair_the_folds_both_recipes_ran():
    shipped = accuracy.cv_scores(cross_validation([13], [[60.0, 64.0]]))
    # the other recipe ran fold 0 of seed 13 and a seed the shipped recipe did not
    other = accuracy.cv_scores(cross_validation([13, 14], [[61.5], [70.0]]))
    assert accuracy.cv_differences(other, shipped) == [1.5]


def fold(re_plus: float, long_re_plus: float | None = None) -> dict[str, Any]:
    """One fold of `accuracy.cv_fold_scores`, with its long sentences' scores if given."""
    scores: dict[str, Any] = {
        "ner_f1_micro": 85.0,
        "re_f1_micro": 70.0,
        "re_plus_f1_micro": re_plus,
    }
    if long_re_plus is not None:
        scores["long_sentences"] = {
            "sentences": 20,
            "gold_relations": 40,
            "ner_f1_micro": 80.0,
            "re_plus_f1_micro": long_re_plus,
        }
    return scores


def test_cv_long_sentences_average_the_folds_scored_and_pair_with_the_shipped_recipe():
    # the shipped recipe's fold 1 was trained before folds were scored on their long sentences
    shipped = accuracy.cv_summary({"13": {"0": fold(66.0, 40.0), "1": fold(67.0)}})
    other = accuracy.cv_summary({"13": {"0": fold(65.0, 45.0), "1": fold(68.0, 50.0)}})
    assert other["long_sentences"] == {
        "folds_scored": 2,
        "sentences": 40,
        "gold_relations": 80,
        "ner_f1_micro": 80.0,
        "re_plus_f1_micro": 47.5,
        "re_plus_f1_micro_runs": [45.0, 50.0],
    }
    assert shipped["long_sentences"]["folds_scored"] == 1
    # RE+ pairs both folds, the long sentences only the fold both scored
    assert accuracy.cv_differences(other, shipped) == [-1.0, 1.0]
    assert accuracy.cv_differences(other, shipped, accuracy.long_sentence_re_plus) == [5.0]
    assert accuracy.cv_summary({"13": {"0": fold(66.0)}})["long_sentences"] is None


def test_accuracy_report_adds_later_folds_to_the_recorded_ones(monkeypatch, tmp_path):
    runs = tmp_path / "runs" / "accuracy"
    recorded = accuracy.cv_scores(cross_validation([13], [[61.0]]))
    (tmp_path / "accuracy.json").write_text(
        json.dumps({"runs": [], "cross_validation": {"best": recorded}})
    )
    # folds 1 and 2 of the same seed, trained later with --first-fold 1 (fold 0's folder is gone)
    later = cross_validation([13], [[65.0, 66.0]])
    for fold, name in zip(later["runs"][0]["folds"], ("fold_1", "fold_2"), strict=True):
        fold["name"] = name
    (runs / "cv_best").mkdir(parents=True)
    (runs / "cv_best" / "results.json").write_text(json.dumps(later))
    accuracy_report(monkeypatch, tmp_path)
    estimate = results(tmp_path / "accuracy.json")["cross_validation"]["best"]
    assert estimate["folds"] == [0, 1, 2]
    assert estimate["re_plus_f1_micro_runs"] == [61.0, 65.0, 66.0]
    assert estimate["re_plus_f1_micro"] == 64.0


def test_threshold_sweeps_each_run_and_chooses_on_the_others(monkeypatch, tmp_path, archive):
    gold = FIXTURE_DATA / "spert_dev.json"
    runs = []
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "model.tar.gz").symlink_to(archive)
        runs.append(f"{tmp_path / name}={gold}")
    run(monkeypatch, threshold, *runs, "--output-dir", str(tmp_path))
    result = results(tmp_path / "threshold.json")
    for measured in result["runs"]:
        sweep = measured["re_plus_f1_by_threshold"]
        assert list(sweep) == [str(t) for t in threshold.DEFAULT_THRESHOLDS]
        assert measured["own_best_threshold"] in threshold.DEFAULT_THRESHOLDS
        # the same model on the same file: the other run chooses what this one would
        assert measured["threshold_from_other_runs"] == measured["own_best_threshold"]
        assert measured["re_plus_f1_at_it"] == max(sweep.values())


def test_argument_types_scores_each_run_with_and_without_the_restriction(monkeypatch, tmp_path):
    gold = FIXTURE_DATA / "spert_dev.json"
    train_model_from_file(
        FIXTURES / "stsn_fixture.jsonnet",
        tmp_path / "run",
        overrides=json.dumps({"trainer.num_epochs": 1}),
    )
    run(monkeypatch, argument_types, f"{tmp_path / 'run'}={gold}", "--output-dir", str(tmp_path))
    (measured,) = results(tmp_path / "argument_types.json")["runs"]
    # the restriction removes relations only
    assert measured["seen"]["ner_f1_micro"] == measured["any"]["ner_f1_micro"]
    assert measured["relations_removed"] >= measured["correct_relations_removed"] >= 0


def test_argument_types_refuses_a_model_that_counted_none(monkeypatch, tmp_path, archive):
    (tmp_path / "untrained").mkdir()
    (tmp_path / "untrained" / "model.tar.gz").symlink_to(archive)
    gold = FIXTURE_DATA / "spert_dev.json"
    with pytest.raises(SystemExit, match="counted no argument types"):
        run(monkeypatch, argument_types, f"{tmp_path / 'untrained'}={gold}")


def test_long_sentences_counts_relations_by_distance(monkeypatch, tmp_path):
    gold = FIXTURE_DATA / "spert_dev.json"
    # the gold file as its own predictions: every relation correct, none missed or spurious
    run(
        monkeypatch,
        long_sentences,
        str(gold),
        str(gold),
        "--train",
        str(gold),
        "--output-dir",
        str(tmp_path),
    )
    result = results(tmp_path / "long_sentences.json")
    relations = sum(len(sentence.relations) for sentence in read_spert(gold))
    assert sum(result["all"]["correct"]) == relations > 0
    assert sum(result["all"]["missed"]) == sum(result["all"]["spurious"]) == 0
    assert sum(related for related, _ in result["train_related_share"]) == relations
    false_positives = result["entity_false_positives"]
    entities = sum(len(sentence.entities) for sentence in read_spert(gold))
    assert (
        false_positives["shorter"]["gold_entities"] + false_positives["long"]["gold_entities"]
        == entities
    )
    assert false_positives["shorter"]["total"] == false_positives["long"]["total"] == 0


def test_long_sentences_refuses_predictions_of_other_sentences(tmp_path):
    gold = FIXTURE_DATA / "spert_dev.json"
    fewer = tmp_path / "fewer.json"
    fewer.write_text(json.dumps(json.loads(gold.read_text())[:-1]))
    with pytest.raises(SystemExit, match=f"{fewer} holds"):
        long_sentences.measure(gold, fewer, None)


def test_long_sentences_count_false_positive_entities_by_kind():
    gold = [annotated(50, True)]
    # a span overlapping no gold entity, and the Loc entity widened to overlap a word more
    predicted = Sentence(
        ["w"] * 50, [Entity(0, 1, "Peop"), Entity(2, 4, "Loc"), Entity(10, 12, "Org")], [], {}
    )
    assert long_sentences.spurious_entities(gold, [predicted]) == [["Org", "w w"]]
    counts = long_sentences.entity_false_positives(gold, [predicted])
    assert (counts["gold_entities"], counts["boundary"], counts["spurious"], counts["total"]) == (
        2,
        1,
        1,
        2,
    )


def annotated(length: int, related: bool) -> Sentence:
    """A sentence of `length` words with two entities, related or not."""
    entities = [Entity(0, 1, "Peop"), Entity(2, 3, "Loc")]
    return Sentence(["w"] * length, entities, [Relation(0, 1, "Live_In")] if related else [], {})


def test_long_sentence_scores_count_only_sentences_of_50_tokens_and_more():
    gold = [annotated(50, True), annotated(10, True)]
    # the long sentence right, the short one wrong: only the long one counts
    scores = long_sentences.long_sentence_scores(gold, [annotated(50, True), annotated(10, False)])
    assert scores == {
        "sentences": 1,
        "gold_relations": 1,
        "ner_f1_micro": 100.0,
        "re_plus_f1_micro": 100.0,
    }
    # predictions for the first sentences only: the rest of gold is left out
    scores = long_sentences.long_sentence_scores(gold[::-1], [annotated(10, True)])
    assert scores["sentences"] == scores["gold_relations"] == 0


def fake_spert_run(folder: Path, gold: Path) -> Path:
    """A SpERT log folder as its reference code writes it: gold itself as epoch 2's predictions
    (a perfect score), a worse epoch 1, its settings and its log."""
    folder.mkdir()
    sentences = json.loads(gold.read_text())
    (folder / "predictions_valid_epoch_2.json").write_text(json.dumps(sentences))
    empty = [{**sentence, "entities": [], "relations": []} for sentence in sentences]
    (folder / "predictions_valid_epoch_1.json").write_text(json.dumps(empty))
    (folder / "args.json").write_text(json.dumps({"epochs": 2, "train_path": "x", "lr": 5e-5}))
    (folder / "all.log").write_text(
        "2026-12-04 05:00:00,000 [MainThread  ] [INFO ]  Datasets: x\n"
        "2026-12-04 05:30:15,000 [MainThread  ] [INFO ]  Saved in: y\n"
    )
    return folder


def test_ade_scores_both_systems_on_a_fold_and_keeps_the_others(monkeypatch, tmp_path, archive):
    gold = FIXTURE_DATA / "spert_dev.json"
    spert_run = fake_spert_run(tmp_path / "spert", gold)
    arguments = ["--stsn", str(archive.parent), "--gold", str(gold), "--output-dir", str(tmp_path)]
    run(monkeypatch, ade, "measure", "--fold", "3", *arguments, "--spert", str(spert_run))
    run(monkeypatch, ade, "measure", "--fold", "1", *arguments)
    results = json.loads((tmp_path / "ade.json").read_text())
    assert sorted(results["folds"]) == ["1", "3"]
    spert = results["folds"]["3"]["spert"]
    assert spert["predictions"] == "predictions_valid_epoch_2.json"
    assert spert["wall_time"] == "0:30:15"
    assert spert["settings"] == {"epochs": 2, "lr": 5e-5}
    assert spert["ner_f1_micro"] == spert["re_plus_f1_macro"] == 100.0
    assert spert["gold_overlapping_pairs_found"] == spert["gold_overlapping_pairs"]
    stsn = results["folds"]["1"]["stsn"]
    assert list(stsn["decodings"]) == list(ade.DECODINGS)
    assert stsn["encoder"] == "fixtures/tiny_bert"
    report = (tmp_path / "ade.md").read_text()
    assert "| mean of 1 | SpERT | 100.00 |" in report
    assert "fold 1: " in report and "fold 3: " in report


def test_ade_spert_config_gives_spert_the_stsn_budget(tmp_path):
    config = ade.spert_config(4, tmp_path / "encoder", tmp_path / "logs")
    lines = dict(line.split(" = ") for line in config.splitlines()[1:])
    assert lines["train_path"].endswith("ade_split_4_train.json")
    assert lines["valid_path"].endswith("ade_split_4_test.json")
    user_config = json.loads(
        _jsonnet.evaluate_file(
            str(Path(ade.__file__).parent / "configs" / "ade_full_user.jsonnet"),
            ext_vars={"STSN_BENCH_MODEL": "encoder", "FOLD": "4"},
        )
    )
    stsn_budget = (
        user_config["trainer"]["num_epochs"],
        user_config["data_loader"]["batch_sampler"]["batch_size"],
    )
    assert (int(lines["epochs"]), int(lines["train_batch_size"])) == stsn_budget
    assert lines["model_path"] == lines["tokenizer_path"] == str(tmp_path / "encoder")


def test_accuracy_trains_through_the_library_runner_and_reuses_a_finished_run(
    monkeypatch, tmp_path
):
    # the fixture's configuration, its seed read from the run's settings as the bench configs read
    # theirs (`STSN_BENCH_SETTINGS`): the settings must reach a configuration read in this process
    config = tmp_path / "fixture.jsonnet"
    config.write_text(
        f"(import {json.dumps(str(FIXTURES / 'stsn_fixture.jsonnet'))}) + "
        '{seed:: std.parseJson(std.extVar("STSN_BENCH_SETTINGS")).seed}\n'
    )
    monkeypatch.setattr(accuracy, "CONLL04_CONFIG", config)
    monkeypatch.setattr(
        accuracy, "require_data", lambda: BenchData(dev_file=FIXTURE_DATA / "spert_dev.json")
    )
    arguments = ["train", "best:14", "--epochs", "1", "--runs-dir", str(tmp_path / "runs")]
    run(monkeypatch, accuracy, *arguments, "--output-dir", str(tmp_path))
    folder = tmp_path / "runs" / "accuracy" / "best_s14"
    assert json.loads((folder / "config.json").read_text())["random_seed"] == 14
    assert "STSN_BENCH_SETTINGS" not in os.environ  # the variables are gone after training
    summary = json.loads((folder / "summary.json").read_text())
    assert set(summary["decodings"]) == {"any", "none"}
    assert summary["settings"] == {**accuracy.RECIPES["best"], "seed": 14}
    assert set(summary["long_sentences"]) == {
        "sentences",
        "gold_relations",
        "ner_f1_micro",
        "re_plus_f1_micro",
    }
    archive_written = (folder / "model.tar.gz").stat().st_mtime_ns
    # a second train finds the run finished: it is summarized again, not trained again
    run(monkeypatch, accuracy, *arguments, "--output-dir", str(tmp_path))
    assert (folder / "model.tar.gz").stat().st_mtime_ns == archive_written
    assert results(tmp_path / "accuracy.json")["runs"][0]["seed"] == 14


def test_accuracy_cross_validates_through_the_library_protocol(monkeypatch, tmp_path):
    # the fixture's data as CoNLL04's splits, and a fixture configuration that reads its folds
    # where the bench's cv configuration reads them (`STSN_BENCH_CV_DIR`)
    data = tmp_path / "conll04"
    data.mkdir()
    for split in ("train", "dev"):
        (data / f"conll04_{split}.json").write_text(
            (FIXTURE_DATA / f"spert_{split}.json").read_text()
        )
    template = json.dumps(str(accuracy.REPO_ROOT / "training_config" / "stsn.libsonnet"))
    fixture = json.dumps(str(FIXTURES / "stsn_fixture.jsonnet"))
    config = tmp_path / "fixture_cv.jsonnet"
    config.write_text(
        f"local stsn = import {template};\n"
        f"(import {fixture}) + stsn.NoValidation + stsn.Test + {{\n"
        "  local config = self,\n"
        "  fold:: 0,\n"
        '  local split(name) = "%s/conll04_cv_%d_%s.json" % [std.extVar("STSN_BENCH_CV_DIR"), '
        "config.fold, name],\n"
        '  data_paths:: {train: split("train"), test: split("test")},\n'
        "}\n"
    )
    monkeypatch.setattr(accuracy, "CV_CONFIG", config)
    monkeypatch.setattr(accuracy, "DATA_DIR", data)
    monkeypatch.setattr(
        accuracy, "require_data", lambda: BenchData(dev_file=data / "conll04_dev.json")
    )
    run(
        monkeypatch,
        accuracy,
        "cv",
        "best:13",
        "--folds",
        "2",
        "--epochs",
        "1",
        "--runs-dir",
        str(tmp_path / "runs"),
        "--output-dir",
        str(tmp_path),
    )
    protocol = tmp_path / "runs" / "accuracy" / "cv_best"
    assert sorted(path.name for path in (protocol / "seed_13").iterdir() if path.is_dir()) == [
        "fold_0",
        "fold_1",
    ]
    estimate = results(tmp_path / "accuracy.json")["cross_validation"]["best"]
    assert estimate["seeds"] == [13] and estimate["folds"] == [0, 1]
    assert len(estimate["re_plus_f1_micro_runs"]) == 2
    # each fold's model predicted its test part once for the long sentences
    for name in ("fold_0", "fold_1"):
        assert (protocol / "seed_13" / name / accuracy.FOLD_LONG_SENTENCES).is_file()
    assert estimate["long_sentences"]["folds_scored"] == 2
    assert "STSN_BENCH_CV_DIR" not in os.environ


def _ade_result(re_plus: float, ner: float, found: int, total: int = 10) -> dict[str, Any]:
    return {
        "re_plus_f1_macro": re_plus,
        "ner_f1_macro": ner,
        "gold_overlapping_pairs_found": found,
        "gold_overlapping_pairs": total,
    }


@pytest.mark.parametrize(
    ("stsn_re_plus", "stsn_found", "met"),
    [(63.0, 6, True), (62.9, 6, False), (63.0, 5, False)],
    ids=["every-lead", "re-plus-lead-short", "no-more-pairs-found"],
)
def test_ade_goal_needs_the_re_plus_lead_the_ner_lead_and_more_pairs_found(
    stsn_re_plus, stsn_found, met
):
    folds = {
        "0": {
            "stsn": {"decodings": {ade.DECODINGS[0]: _ade_result(stsn_re_plus, 90.0, stsn_found)}},
            "spert": _ade_result(60.0, 89.0, 5),
        },
        "1": {"stsn": {"decodings": {ade.DECODINGS[0]: _ade_result(0.0, 0.0, 0)}}},  # no SpERT
    }
    verdict = ade.goal(folds)
    assert verdict["folds"] == 1
    assert verdict["re_plus_macro_lead"] == round(stsn_re_plus - 60.0, 2)
    assert verdict["stsn"]["overlapping_pairs_found_percent"] == 10.0 * stsn_found
    assert verdict["met"] is met
    assert ("Goal met" if met else "Goal not met") in ade.goal_line(verdict)
