"""`python -m stsn_allennlp.experiments.protocol` end to end on fixture data with the tiny BERT:
cross-validation over folds, repeated seeds with a top-k mean, reuse of finished runs."""

import json
import statistics
from pathlib import Path

import pytest

from stsn_allennlp.commands.protocol import main
from stsn_allennlp.experiments.protocols import ProtocolError, run_protocol
from stsn_allennlp.experiments.statistics import split_scores
from tests.training_config.layouts import NUM_FOLDS, user_config

ONE_EPOCH = '{"trainer.num_epochs": 1}'
# the report's columns; re_f1_macro is `_re_f1_macro` in metrics.json (off the progress bar)
HEADLINE = (
    "ner_f1_micro",
    "ner_f1_macro",
    "re_f1_micro",
    "re_f1_macro",
    "re_plus_f1_micro",
    "re_plus_f1_macro",
)


def read_json(path: Path):
    return json.loads(path.read_text())


def test_cross_validation_trains_and_tests_every_fold_then_averages(tmp_path, capsys):
    config = str(user_config("ade", tmp_path))
    out = tmp_path / "cv"
    assert main([config, "-s", str(out), "--folds", str(NUM_FOLDS), "-o", ONE_EPOCH]) == 0

    report = read_json(out / "results.json")
    summary = report["summary"]
    assert (report["split"], summary["over"]) == ("test", "folds")
    assert summary["names"] == [f"fold_{fold}" for fold in range(NUM_FOLDS)]
    folds = report["runs"][0]["folds"]
    for fold, result in enumerate(folds):
        run_dir = out / f"fold_{fold}"
        used = read_json(run_dir / "config.json")
        assert used["train_data_path"].endswith(f"ade_no_overlap_split_{fold}_train.json")
        assert used["test_data_path"].endswith(f"ade_no_overlap_split_{fold}_test.json")
        assert result["scores"] == split_scores(read_json(run_dir / "metrics.json"), "test")
    for key in HEADLINE:
        values = [result["scores"][key] for result in folds]
        assert summary["mean"][key] == pytest.approx(statistics.mean(values))
        assert summary["std"][key] == pytest.approx(statistics.stdev(values))
    markdown = (out / "results.md").read_text()
    assert markdown.startswith(f"# {config}: 2-fold cross-validation")
    assert "| fold_1 |" in markdown and "| std |" in markdown
    assert markdown in capsys.readouterr().out


def test_repeated_seeds_report_mean_std_and_top_k_and_reuse_finished_runs(tmp_path, capsys):
    out = tmp_path / "seeds"
    seeds = [1, 2, 3]
    argv = [str(user_config("conll04", tmp_path)), "-s", str(out), "--seeds", *map(str, seeds)]
    argv += ["--top-k", "2", "--split", "validation", "-o", ONE_EPOCH]
    assert main(argv) == 0

    report = read_json(out / "results.json")
    summary = report["summary"]
    assert (report["seeds"], summary["over"]) == (seeds, "seeds")
    assert summary["rank_by"] == "re_plus_f1_micro"
    scores = {run["name"]: run["scores"] for run in report["runs"]}
    assert list(scores) == [f"seed_{seed}" for seed in seeds]
    for seed in seeds:
        config = read_json(out / f"seed_{seed}" / "config.json")
        used = [config[key] for key in ("random_seed", "numpy_seed", "pytorch_seed")]
        assert [*used, config["dataset_reader"]["seed"]] == [seed] * 4
    losses = {read_json(out / name / "metrics.json")["training_loss"] for name in scores}
    assert len(losses) == len(seeds)  # the seeds made different runs
    best = sorted(scores, key=lambda name: -scores[name]["re_plus_f1_micro"])[:2]
    assert summary["top_k_names"] == best
    for key in HEADLINE:
        values = [run_scores[key] for run_scores in scores.values()]
        assert summary["mean"][key] == pytest.approx(statistics.mean(values))
        assert summary["std"][key] == pytest.approx(statistics.stdev(values))
        top = [scores[name][key] for name in best]
        assert summary["top_k_mean"][key] == pytest.approx(statistics.mean(top))
    assert "| top-2 mean (" in (out / "results.md").read_text()

    # the same command again reuses the finished runs instead of training them again
    archives = {path: path.stat().st_mtime_ns for path in out.glob("seed_*/model.tar.gz")}
    assert main(argv) == 0
    assert {path: path.stat().st_mtime_ns for path in archives} == archives
    assert read_json(out / "results.json") == report
    # and does not pass off runs of another configuration as its own
    capsys.readouterr()
    assert main([*argv[:-1], '{"trainer.num_epochs": 2}']) == 1
    assert "trained with another configuration" in capsys.readouterr().err


@pytest.mark.parametrize(
    "config, arguments, message",
    [
        ("conll04", ["--folds", "2", "--split", "validation"], "has no field fold::"),
        ("conll04", ["--seeds", "1"], "evaluates no test set after training"),
        ("ade", ["--folds", "2", "--split", "validation"], "has no validation_data_path"),
        ("ade", ["--folds", "2", "--top-k", "1"], "give --seeds with --top-k"),
        ("ade", ["--folds", "2", "--seeds", "1", "2", "--top-k", "3"], "must lie in [1, 2]"),
        ("ade", ["--seeds", "1", "1"], "the seeds must differ"),
        ("ade", ["--folds", "3"], "ade_no_overlap_split_2_train.json"),
        ("ade", ["--folds", "2", "-o", '{"test_data_path": "nowhere.json"}'], "nowhere.json"),
    ],
    ids=[
        "folds-of-a-config-without-folds",
        "no-test-set",
        "no-validation-set",
        "top-k-of-folds",
        "top-k-beyond-the-seeds",
        "same-seed-twice",
        "fold-without-data",
        "data-file-missing",
    ],
)
def test_a_protocol_that_cannot_run_stops_before_training(
    config, arguments, message, tmp_path, capsys
):
    out = tmp_path / "out"
    assert main([str(user_config(config, tmp_path)), "-s", str(out), *arguments]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_first_fold_trains_the_later_folds_only(tmp_path):
    config = str(user_config("ade", tmp_path))
    out = tmp_path / "cv"
    report = run_protocol(
        config, out, folds=NUM_FOLDS, first_fold=1, overrides=json.loads(ONE_EPOCH)
    )
    assert [fold["name"] for fold in report["runs"][0]["folds"]] == ["fold_1"]
    assert not (out / "fold_0").exists()
    assert report["description"] == "fold 1 of a cross-validation"


@pytest.mark.parametrize("folds, first_fold", [(NUM_FOLDS, NUM_FOLDS), (None, 1)])
def test_a_first_fold_outside_the_folds_is_refused(tmp_path, folds, first_fold):
    with pytest.raises(ProtocolError, match="the first fold must lie in"):
        run_protocol(
            str(user_config("ade", tmp_path)), tmp_path / "cv", folds=folds, first_fold=first_fold
        )
    assert not (tmp_path / "cv").exists()
