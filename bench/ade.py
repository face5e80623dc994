"""ADE (full, with its overlapping entities) at equal encoder and budget: STSN against SpERT.

    python -m bench.ade spert-encoder DIR
    python -m bench.ade spert-config --fold K --encoder-dir DIR --log-dir DIR > ade_fold_K.conf
    python -m bench.ade measure --fold K --stsn RUN_DIR [--spert SPERT_RUN_DIR]
    python -m bench.ade report

STSN is trained as a user would (`bench/configs/ade_full_user.jsonnet`, see `bench/README.md`);
SpERT's reference code (lavis-nlp/spert, run outside this repository) with the configuration
`spert-config` writes: the same encoder, epochs, batch size, negative samples and threshold. SpERT
loads its encoder's `pytorch_model.bin`, which the MiniLM package does not ship (it has
`model.safetensors`): `spert-encoder` writes a folder with the same weights in that form.
`measure` scores both systems' predictions on fold K's test file with this project's scorer: NER
and RE+, macro (ADE's convention) and micro, and, for the test sentences that hold overlapping
gold entities, how many of their overlapping gold pairs each system finds (both entities exact).
STSN's archive is decoded under each overlap mode of `DECODINGS` and once with its per-sentence
caps lifted, which shows whether the caps bind. Each fold's figures go into
`<output-dir>/ade.json` beside the folds measured before; `report` (and `measure`) render
`<output-dir>/ade.md` from that file alone.
"""

import argparse
import datetime
import json
import statistics
import tarfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.common import (
    ADE_DIR,
    RESULTS_DIR,
    environment,
    environment_markdown,
    minilm_path,
    render_report,
    write_report,
)
from stsn_allennlp.core.ade_no_overlap import has_overlapping_entities
from stsn_allennlp.core.error_kinds import count_error_kinds
from stsn_allennlp.core.reports import markdown_table
from stsn_allennlp.core.scoring import compute_scores, count_sentences
from stsn_allennlp.core.sentence import Sentence
from stsn_allennlp.core.spert_json import parse_spert_record, read_spert
from stsn_allennlp.predictors import StsnPredictor

NAME = "ade"
DECODINGS = ("nested", "two_fold", "any")
"""The overlap modes STSN's predictions are decoded under; the first is `ade_full.jsonnet`'s."""
UNCAPPED = {"model.max_entities_per_word": 1000.0, "model.max_relations_per_word": 1000.0}
SCORE_KEYS = ("ner_f1_macro", "ner_f1_micro", "re_plus_f1_macro", "re_plus_f1_micro")
BATCH_SIZE = 32
SPERT_SETTINGS = {
    "model_type": "spert",
    "lowercase": "true",  # all-MiniLM-L6-v2 is uncased
    "train_batch_size": 8,
    "eval_batch_size": 8,
    "neg_entity_count": 100,
    "neg_relation_count": 100,
    "epochs": 6,
    "lr": 5e-5,
    "lr_warmup": 0.1,
    "weight_decay": 0.01,
    "max_grad_norm": 1.0,
    "rel_filter_threshold": 0.4,
    "size_embedding": 25,
    "prop_drop": 0.1,
    "max_span_size": 10,
    "store_predictions": "true",
    "store_examples": "false",
    "sampling_processes": 0,
    "max_pairs": 1000,
    "final_eval": "true",
    "seed": 13,
}
"""SpERT's settings: its defaults (`configs/example_train.conf`) but the budget of STSN's runs
(6 epochs at batch 8, as `bench/configs/ade_full_user.jsonnet`) and no sampling processes."""


def gold_file(fold: int) -> Path:
    """Fold `fold`'s test file, SpERT's split."""
    return ADE_DIR / f"ade_split_{fold}_test.json"


def spert_config(fold: int, encoder_dir: Path, log_dir: Path) -> str:
    """SpERT's training configuration for fold `fold` (its `.conf` format)."""
    settings: dict[str, Any] = {
        "label": f"ade_fold_{fold}",
        "model_path": encoder_dir,
        "tokenizer_path": encoder_dir,
        "train_path": ADE_DIR / f"ade_split_{fold}_train.json",
        "valid_path": gold_file(fold),
        "types_path": ADE_DIR / "ade_types.json",
        **SPERT_SETTINGS,
        "log_path": log_dir / "log",
        "save_path": log_dir / "save",
    }
    return "\n".join(["[1]", *(f"{key} = {value}" for key, value in settings.items())]) + "\n"


def write_spert_encoder(folder: Path) -> None:
    """all-MiniLM-L6-v2 in `folder` as SpERT loads it: its files linked, its weights in
    `pytorch_model.bin`."""
    import torch  # after bench.common's thread settings
    from safetensors.torch import load_file

    source = Path(minilm_path())
    folder.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file() and path.suffix != ".safetensors" and not (folder / path.name).exists():
            (folder / path.name).symlink_to(path)
    torch.save(load_file(str(source / "model.safetensors")), folder / "pytorch_model.bin")


def stsn_predictions(run: Path, gold: Path, overrides: dict[str, Any]) -> list[Sentence]:
    """The predictions of the archive in `run` on `gold`'s sentences."""
    predictor = StsnPredictor.from_path(run / "model.tar.gz", overrides=overrides)
    instances = list(predictor.dataset_reader.read(str(gold)))
    records = []
    for first in range(0, len(instances), BATCH_SIZE):
        records += predictor.predict_batch_instance(instances[first : first + BATCH_SIZE])
    return [
        parse_spert_record(record, "predictions", index) for index, record in enumerate(records)
    ]


def spert_predictions(run: Path) -> tuple[Path, list[Sentence]]:
    """SpERT's predictions of its last epoch in its log folder `run`."""
    files = sorted(
        run.glob("predictions_valid_epoch_*.json"), key=lambda path: int(path.stem.split("_")[-1])
    )
    if not files:
        raise SystemExit(f"error: {run} holds no predictions_valid_epoch_*.json")
    return files[-1], read_spert(files[-1])


def scores(gold: Sequence[Sentence], predicted: Sequence[Sentence]) -> dict[str, Any]:
    """Macro and micro NER and RE+ F1 and the overlapping gold pairs found, in the whole file and
    in its sentences with overlapping gold entities."""
    overlapping = [
        i for i, sentence in enumerate(gold) if has_overlapping_entities(sentence.entities)
    ]
    subset_gold = [gold[i] for i in overlapping]
    subset_predicted = [predicted[i] for i in overlapping]
    all_scores = compute_scores(count_sentences(gold, predicted))
    subset_scores = compute_scores(count_sentences(subset_gold, subset_predicted))
    overlaps = count_error_kinds(gold, predicted).as_dict()["overlapping_entities"]
    return {
        **{key: round(all_scores[key], 2) for key in SCORE_KEYS},
        "overlap_sentences": len(overlapping),
        "overlap_sentences_ner_f1_micro": round(subset_scores["ner_f1_micro"], 2),
        "overlap_sentences_re_plus_f1_micro": round(subset_scores["re_plus_f1_micro"], 2),
        "gold_overlapping_pairs": overlaps["gold_pairs"],
        "gold_overlapping_pairs_found": overlaps["gold_pairs_found"],
        "predicted_overlapping_pairs": overlaps["predicted_pairs"],
    }


def archived_config(archive: Path) -> dict[str, Any]:
    """The training configuration inside a model archive."""
    with tarfile.open(archive) as files:
        member = files.extractfile("config.json")
        assert member is not None, f"{archive} holds no config.json"
        return json.load(member)


def measure_stsn(run: Path, gold_path: Path, gold: Sequence[Sentence]) -> dict[str, Any]:
    """STSN's archive under each decoding, and whether its caps bind under the first; its
    training time and memory when the run folder holds `metrics.json`."""
    config = archived_config(run / "model.tar.gz")
    metrics_file = run / "metrics.json"
    metrics = json.loads(metrics_file.read_text()) if metrics_file.exists() else {}
    decoded = {
        decoding: stsn_predictions(run, gold_path, {"model.entity_overlap": decoding})
        for decoding in DECODINGS
    }
    uncapped = stsn_predictions(run, gold_path, {"model.entity_overlap": DECODINGS[0], **UNCAPPED})
    capped_sentences = sum(
        (a.entities, a.relations) != (b.entities, b.relations)
        for a, b in zip(decoded[DECODINGS[0]], uncapped)
    )
    embedder = config["model"]["text_field_embedder"]["token_embedders"]["tokens"]
    return {
        "run": str(run),
        "epochs": config["trainer"]["num_epochs"],
        "batch_size": config["data_loader"]["batch_sampler"]["batch_size"],
        # the folder and its parent: the MiniLM package keeps its encoder in `.../<package>/model`
        "encoder": "/".join(Path(embedder["model_name"]).parts[-2:]),
        # AllenNLP's "H:MM:SS.ffffff", to the second
        "training_duration": metrics.get("training_duration", "-").split(".")[0],
        "peak_memory_mb": round(metrics.get("peak_worker_0_memory_MB", 0)),
        "decodings": {decoding: scores(gold, predicted) for decoding, predicted in decoded.items()},
        "sentences_changed_without_caps": capped_sentences,
    }


def measure_spert(run: Path, gold: Sequence[Sentence]) -> dict[str, Any]:
    """SpERT's last-epoch predictions, its settings and its wall time (first to last log line)."""
    predictions_file, predicted = spert_predictions(run)
    log_lines = (run / "all.log").read_text().splitlines()
    stamps = [
        datetime.datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S")
        for line in (log_lines[0], log_lines[-1])
    ]
    settings = json.loads((run / "args.json").read_text())
    return {
        "run": str(run),
        "predictions": predictions_file.name,
        "settings": {key: settings[key] for key in sorted(settings) if not key.endswith("_path")},
        "wall_time": str(stamps[1] - stamps[0]),
        **scores(gold, predicted),
    }


def load_results(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {"folds": {}}


GOAL_RE_PLUS_MACRO_LEAD = 3.0
"""The goal: STSN ahead of SpERT by this many macro RE+ points (mean of the folds), and on NER and
the overlapping pairs found."""


SYSTEMS = {"stsn": f"STSN ({DECODINGS[0]})", "spert": "SpERT"}
"""Each system's key and its label in the tables (STSN under the config's decoding)."""


def results_of_both(folds: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Per system (`SYSTEMS`), its results on the folds measured for both systems, in order."""
    both = [fold for fold in folds.values() if "spert" in fold]
    return {
        "stsn": [fold["stsn"]["decodings"][DECODINGS[0]] for fold in both],
        "spert": [fold["spert"] for fold in both],
    }


def pairs_totals(results: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """The overlapping gold pairs found and the overlapping gold pairs, summed over `results`."""
    found = sum(result["gold_overlapping_pairs_found"] for result in results)
    return found, sum(result["gold_overlapping_pairs"] for result in results)


def goal(folds: dict[str, Any]) -> dict[str, Any] | None:
    """
    The goal's verdict over the folds measured for both systems: the mean macro RE+ and NER of
    each, STSN's leads, the share of overlapping gold pairs each finds (over all those folds'
    pairs), and whether STSN leads by `GOAL_RE_PLUS_MACRO_LEAD` RE+ points, on NER and on that
    share. `None` before a fold of both.
    """
    systems = results_of_both(folds)
    if not systems["spert"]:
        return None
    verdict: dict[str, Any] = {"folds": len(systems["spert"])}
    for system, results in systems.items():
        found, total = pairs_totals(results)
        verdict[system] = {
            "re_plus_f1_macro": round(statistics.mean(r["re_plus_f1_macro"] for r in results), 2),
            "ner_f1_macro": round(statistics.mean(r["ner_f1_macro"] for r in results), 2),
            "overlapping_pairs_found_percent": round(100.0 * found / total, 1) if total else None,
        }
    stsn, spert = verdict["stsn"], verdict["spert"]
    verdict["re_plus_macro_lead"] = round(stsn["re_plus_f1_macro"] - spert["re_plus_f1_macro"], 2)
    verdict["ner_macro_lead"] = round(stsn["ner_f1_macro"] - spert["ner_f1_macro"], 2)
    found = stsn["overlapping_pairs_found_percent"], spert["overlapping_pairs_found_percent"]
    verdict["met"] = (
        verdict["re_plus_macro_lead"] >= GOAL_RE_PLUS_MACRO_LEAD
        and verdict["ner_macro_lead"] > 0
        and None not in found
        and found[0] > found[1]
    )
    return verdict


def goal_line(verdict: dict[str, Any]) -> str:
    """The goal's verdict (`goal`) as a sentence."""
    stsn, spert = verdict["stsn"], verdict["spert"]
    return (
        f"**Goal {'met' if verdict['met'] else 'not met'}** (mean of {verdict['folds']} folds): "
        f"STSN ahead of SpERT by at least {GOAL_RE_PLUS_MACRO_LEAD:.0f} macro RE+ points "
        f"({verdict['re_plus_macro_lead']:+.2f}: {stsn['re_plus_f1_macro']:.2f} vs "
        f"{spert['re_plus_f1_macro']:.2f}), on macro NER ({verdict['ner_macro_lead']:+.2f}) and "
        f"on the overlapping gold pairs found ({stsn['overlapping_pairs_found_percent']}% vs "
        f"{spert['overlapping_pairs_found_percent']}%)."
    )


def pairs_found(result: dict[str, Any]) -> str:
    found, total = result["gold_overlapping_pairs_found"], result["gold_overlapping_pairs"]
    return f"{found} / {total}"


def system_row(fold: str, system: str, result: dict[str, Any], time: str) -> list[Any]:
    return [
        fold,
        system,
        *(result[key] for key in SCORE_KEYS),
        pairs_found(result),
        result["overlap_sentences_ner_f1_micro"],
        result["overlap_sentences_re_plus_f1_micro"],
        time,
    ]


def mean(values: Sequence[float]) -> str:
    """The mean, with the standard deviation from two values on."""
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}"


def mean_rows(folds: dict[str, Any]) -> list[list[Any]]:
    """The mean over the folds measured for both systems, per system."""
    rows = []
    for system, results in results_of_both(folds).items():
        if not results:
            return []
        found, total = pairs_totals(results)
        rows.append(
            [
                f"mean of {len(results)}",
                SYSTEMS[system],
                *(mean([result[key] for result in results]) for key in SCORE_KEYS),
                f"{found} / {total}",
                mean([result["overlap_sentences_ner_f1_micro"] for result in results]),
                mean([result["overlap_sentences_re_plus_f1_micro"] for result in results]),
                "",
            ]
        )
    return rows


def report(results: dict[str, Any]) -> str:
    """The Markdown report of `ade.json`'s content: both systems per fold and their means, then
    STSN's decodings."""
    folds = dict(sorted(results["folds"].items(), key=lambda item: int(item[0])))
    rows, decoding_rows = [], []
    for fold, measured in folds.items():
        stsn = measured["stsn"]
        rows.append(
            system_row(
                fold,
                SYSTEMS["stsn"],
                stsn["decodings"][DECODINGS[0]],
                stsn["training_duration"],
            )
        )
        if "spert" in measured:
            rows.append(
                system_row(
                    fold, SYSTEMS["spert"], measured["spert"], measured["spert"]["wall_time"]
                )
            )
        for decoding, result in stsn["decodings"].items():
            decoding_rows.append(
                [
                    fold,
                    decoding,
                    result["ner_f1_macro"],
                    result["re_plus_f1_macro"],
                    result["predicted_overlapping_pairs"],
                    pairs_found(result),
                ]
            )
    first = next(iter(folds.values()), None)
    lines = [
        "# ADE (full) at equal encoder and budget: STSN against SpERT (F1 %)",
        "",
        f"Measured by `python -m bench.ade measure` ({', '.join(f'fold {fold}' for fold in folds)}). "
        "Each fold's model trains on SpERT's `ade_split_K_train.json` for the whole schedule (the "
        "last epoch is kept: ADE has no development split) and is scored once on "
        "`ade_split_K_test.json` with this project's scorer. Macro F1 averages over types (2 entity "
        'types; ADE has one relation type, so macro and micro RE+ agree). "overlapping pairs '
        'found": gold pairs of overlapping entities of which both are predicted exactly; '
        '"overlap sentences": the test sentences holding such a pair.',
        "",
    ]
    if first is not None:
        stsn = first["stsn"]
        lines += [
            f"Budget: {stsn['encoder']}, {stsn['epochs']} epochs, batch {stsn['batch_size']}, CPU, "
            "for both systems. STSN: `bench/configs/ade_full_user.jsonnet` (the shipped "
            "`ade_full.jsonnet` recipe). SpERT: its reference code (lavis-nlp/spert) with its "
            "defaults but that budget (`python -m bench.ade spert-config`; the settings are in "
            "the JSON file).",
            "",
        ]
    lines += [
        markdown_table(
            [
                "fold",
                "system",
                "NER macro",
                "NER micro",
                "RE+ macro",
                "RE+ micro",
                "overlapping pairs found",
                "overlap sentences NER",
                "overlap sentences RE+",
                "training time",
            ],
            rows + mean_rows(folds),
        ),
        "",
    ]
    if results.get("goal"):
        lines += [goal_line(results["goal"]), ""]
    lines += [
        "## STSN's decodings on the same weights",
        "",
        f"`{DECODINGS[0]}` is `ade_full.jsonnet`'s. Caps: sentences whose predictions change when "
        "the per-sentence caps are lifted (0: they never bind): "
        + ", ".join(
            f"fold {fold}: {measured['stsn']['sentences_changed_without_caps']}"
            for fold, measured in folds.items()
        )
        + ".",
        "",
        markdown_table(
            [
                "fold",
                "decoding",
                "NER macro",
                "RE+ macro",
                "predicted overlapping pairs",
                "overlapping pairs found",
            ],
            decoding_rows,
        ),
    ]
    if "environment" in results:
        lines += ["", environment_markdown(results["environment"])]
    return "\n".join(lines)


def measure(args: argparse.Namespace) -> None:
    gold_path = args.gold or gold_file(args.fold)
    gold = read_spert(gold_path)
    measured: dict[str, Any] = {
        "gold": str(gold_path),
        "stsn": measure_stsn(args.stsn, gold_path, gold),
    }
    if args.spert is not None:
        measured["spert"] = measure_spert(args.spert, gold)
    path = args.output_dir / f"{NAME}.json"
    results = load_results(path)
    results["folds"][str(args.fold)] = measured
    results["goal"] = goal(results["folds"])
    results["environment"] = environment()
    write_report(args.output_dir, NAME, results, report)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    encoder = commands.add_parser("spert-encoder", help="write the encoder folder SpERT loads")
    encoder.add_argument("folder", type=Path)
    config = commands.add_parser("spert-config", help="print SpERT's configuration for a fold")
    config.add_argument("--fold", type=int, required=True)
    config.add_argument(
        "--encoder-dir", type=Path, required=True, help="the encoder, with pytorch_model.bin"
    )
    config.add_argument(
        "--log-dir", type=Path, required=True, help="where SpERT writes logs and models"
    )
    run = commands.add_parser("measure", help="score one fold of both systems")
    run.add_argument("--fold", type=int, required=True)
    run.add_argument("--stsn", type=Path, required=True, help="STSN's run folder (model.tar.gz)")
    run.add_argument("--spert", type=Path, help="SpERT's log folder of the fold's run")
    run.add_argument("--gold", type=Path, help="the scored file (default: the fold's test file)")
    render = commands.add_parser("report", help="render ade.md from ade.json")
    for command in (run, render):
        command.add_argument("--output-dir", type=Path, default=RESULTS_DIR)
    args = parser.parse_args()
    if args.command == "spert-encoder":
        write_spert_encoder(args.folder)
    elif args.command == "spert-config":
        print(spert_config(args.fold, args.encoder_dir, args.log_dir), end="")
    elif args.command == "measure":
        measure(args)
    else:
        render_report(args.output_dir, NAME, report)


if __name__ == "__main__":
    main()
