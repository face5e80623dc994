"""Relations restricted to the argument types seen in training, on held-out data, same weights.

    python -m bench.argument_types RUN_DIR=GOLD [RUN_DIR=GOLD ...] [--name argument_types]

Each RUN_DIR holds a trained `model.tar.gz` that counted its argument types while training (every
run trained since `Stsn.restrict_argument_types` exists); GOLD is the SpERT JSON it is scored on: a
fold's test part (`bench.accuracy cv` runs) or dev. The model predicts GOLD with
`restrict_argument_types` off and on, and both are scored (`stsn_allennlp.core.scoring`), with the
relations the restriction removed and how many of them were correct. Only the decoding differs, so
the difference is the restriction's alone, free of training noise.

Results: `<output-dir>/<name>.{json,md}`.
"""

import statistics
from pathlib import Path
from typing import Any, cast

from bench.common import environment, environment_markdown, held_out_main
from stsn_allennlp.core.reports import markdown_table
from stsn_allennlp.core.scoring import JointCounts, compute_scores, count_sentences
from stsn_allennlp.core.spert_json import parse_spert_record
from stsn_allennlp.data import read_spert
from stsn_allennlp.models import Stsn
from stsn_allennlp.predictors import StsnPredictor

SETTINGS = {"any": False, "seen": True}
"""The decodings compared: `restrict_argument_types` off (the paper) and on."""


def counts_by_setting(run: Path, gold_file: Path) -> dict[str, JointCounts]:
    """The counts of the run's model on `gold_file` under each of `SETTINGS` (the archive loaded
    and the file read once); refuses a model that counted no argument types, for which both
    decodings are the same."""
    predictor = StsnPredictor.from_path(run / "model.tar.gz")
    model = cast(Stsn, predictor.model)
    if not model.argument_type_counts.any():
        raise SystemExit(
            f"{run / 'model.tar.gz'} counted no argument types (trained before they were counted): "
            "the restriction cannot apply to it"
        )
    gold = read_spert(gold_file)
    instances = list(predictor.dataset_reader.read(str(gold_file)))
    counts = {}
    for name, restrict in SETTINGS.items():
        model.restrict_argument_types = restrict
        predicted = [
            parse_spert_record(record, str(gold_file), index)
            for index, record in enumerate(predictor.predict_batch_instance(instances))
        ]
        counts[name] = count_sentences(gold, predicted)
    return counts


def measure(runs: list[tuple[Path, Path]]) -> dict[str, Any]:
    """Per run, NER and RE+ micro F1 under each of `SETTINGS`, and the relations the restriction
    removed (all and correct); the mean RE+ difference over the runs."""
    results: list[dict[str, Any]] = []
    for run, gold_file in runs:
        counts = counts_by_setting(run, gold_file)
        scores = {name: compute_scores(count) for name, count in counts.items()}
        predicted = {name: count.re_plus.predicted.total() for name, count in counts.items()}
        correct = {name: count.re_plus.true_positives.total() for name, count in counts.items()}
        results.append(
            {
                "run": str(run),
                "gold": str(gold_file),
                **{
                    name: {
                        key: round(scores[name][key], 2)
                        for key in ("ner_f1_micro", "re_plus_f1_micro")
                    }
                    for name in SETTINGS
                },
                "relations_removed": predicted["any"] - predicted["seen"],
                "correct_relations_removed": correct["any"] - correct["seen"],
            }
        )
    differences = [
        result["seen"]["re_plus_f1_micro"] - result["any"]["re_plus_f1_micro"] for result in results
    ]
    return {
        "environment": environment(),
        "runs": results,
        "re_plus_difference_mean": round(statistics.mean(differences), 2),
    }


def report(results: dict[str, Any]) -> str:
    """The Markdown report of the results' JSON."""
    rows = [
        [
            result["run"],
            Path(result["gold"]).name,
            result["any"]["ner_f1_micro"],
            result["any"]["re_plus_f1_micro"],
            result["seen"]["re_plus_f1_micro"],
            f"{result['seen']['re_plus_f1_micro'] - result['any']['re_plus_f1_micro']:+.2f}",
            result["relations_removed"],
            result["correct_relations_removed"],
        ]
        for result in results["runs"]
    ]
    return "\n".join(
        [
            "# Relations only between argument types seen in training (micro F1 %)",
            "",
            environment_markdown(results["environment"]),
            "",
            "Each model predicts its scored file twice, with `restrict_argument_types` off (any "
            "entity types, the paper) and on (only the (head, tail) entity types each relation type "
            "joined in the model's training data): the same weights, so the difference is the "
            "restriction's. NER is the same under both (the restriction removes relations only).",
            "",
            markdown_table(
                [
                    "run",
                    "scored on",
                    "NER",
                    "RE+, any types",
                    "RE+, seen types",
                    "difference",
                    "relations removed",
                    "of them correct",
                ],
                rows,
            ),
            "",
            f"Mean RE+ difference over the runs: {results['re_plus_difference_mean']:+.2f}.",
        ]
    )


def main() -> None:
    held_out_main(__doc__, "argument_types", measure, report)


if __name__ == "__main__":
    main()
