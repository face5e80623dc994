"""The relation threshold on held-out predictions, for trained runs.

    python -m bench.threshold RUN_DIR=GOLD [RUN_DIR=GOLD ...] [--name threshold]

Each RUN_DIR holds a trained `model.tar.gz`; GOLD is the SpERT JSON it is scored on: a fold's test
part (`bench.accuracy cv` runs) or dev. Each model predicts GOLD once at threshold `FLOOR`; RE+ micro
at every candidate threshold comes from filtering those predictions by score
(`stsn_allennlp.core.calibration`). With two runs or more, each run is also scored at the
threshold chosen on the pooled predictions of the *other* runs (cross-fitting), so that the gain
reported for a chosen threshold is not measured on the data that chose it.

Results: `<output-dir>/<name>.{json,md}`.
"""

from pathlib import Path
from typing import Any

from bench.common import environment, environment_markdown, held_out_main
from stsn_allennlp.core.calibration import (
    DEFAULT_THRESHOLDS,
    ScoredPrediction,
    best_threshold,
    scored_prediction,
    sweep_relation_thresholds,
)
from stsn_allennlp.core.reports import markdown_table
from stsn_allennlp.data import read_spert
from stsn_allennlp.predictors import StsnPredictor

FLOOR = 0.05
"""The threshold of the one prediction pass, below every candidate."""


def predict_at_floor(run: Path, gold: Path) -> list[ScoredPrediction]:
    """The run's predictions on `gold`'s sentences at threshold `FLOOR`."""
    predictor = StsnPredictor.from_path(
        run / "model.tar.gz", overrides={"model.relation_threshold": FLOOR}
    )
    instances = list(predictor.dataset_reader.read(str(gold)))
    return [scored_prediction(record) for record in predictor.predict_batch_instance(instances)]


def measure(runs: list[tuple[Path, Path]]) -> dict[str, Any]:
    """Per run, the sweep and, with several runs, the cross-fitted threshold and its RE+."""
    golds = [read_spert(gold) for _, gold in runs]
    predictions = [predict_at_floor(run, gold) for run, gold in runs]
    results: list[dict[str, Any]] = []
    for index, (run, gold) in enumerate(runs):
        sweep = sweep_relation_thresholds(golds[index], predictions[index])
        result: dict[str, Any] = {
            "run": str(run),
            "gold": str(gold),
            "re_plus_f1_by_threshold": {str(t): round(v.f1, 2) for t, v in sweep.items()},
            "own_best_threshold": best_threshold(sweep),
        }
        others = [i for i in range(len(runs)) if i != index]
        if others:
            chosen = best_threshold(
                sweep_relation_thresholds(
                    [s for i in others for s in golds[i]],
                    [p for i in others for p in predictions[i]],
                )
            )
            result["threshold_from_other_runs"] = chosen
            result["re_plus_f1_at_it"] = round(sweep[chosen].f1, 2)
        results.append(result)
    return {"environment": environment(), "floor": FLOOR, "runs": results}


def report(results: dict[str, Any]) -> str:
    """The Markdown report of the results' JSON."""
    thresholds = [str(t) for t in DEFAULT_THRESHOLDS if t in (0.3, 0.4, 0.5, 0.6, 0.7)]
    rows = [
        [
            result["run"],
            Path(result["gold"]).name,
            *(result["re_plus_f1_by_threshold"][t] for t in thresholds),
            result["own_best_threshold"],
            result.get("threshold_from_other_runs", "-"),
            result.get("re_plus_f1_at_it", "-"),
        ]
        for result in results["runs"]
    ]
    return "\n".join(
        [
            "# The relation threshold on held-out predictions (RE+ micro F1 %)",
            "",
            environment_markdown(results["environment"]),
            "",
            "Each model predicts its scored file once at threshold "
            f"{results['floor']}; each column keeps the relations scoring at least its threshold "
            "(0.4 is the paper's). The last two columns: the threshold that is best on the other "
            "runs' pooled predictions, and this run's RE+ at it.",
            "",
            markdown_table(
                [
                    "run",
                    "scored on",
                    *(f"RE+ at {t}" for t in thresholds),
                    "own best",
                    "chosen on the others",
                    "RE+ at it",
                ],
                rows,
            ),
        ]
    )


def main() -> None:
    held_out_main(__doc__, "threshold", measure, report)


if __name__ == "__main__":
    main()
