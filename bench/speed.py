"""Training and inference throughput of STSN vs its bare encoder on CoNLL04 dev sentences.

For batch sizes 1, 8 and 32 (sentences sorted by length, then cut into batches) it times, on the
same pre-built batches and with 2 threads:

- inference: the encoder alone (all-MiniLM-L6-v2 + max-pooling to words: the floor), the reference
  ceiling (encoder + a bare STSN-shaped stack of 4 x 3 attention units, no heads) and the full STSN
  `forward` in eval mode (all candidate spans, pairs among predicted entities, decoding);
- training: one step (forward, backward, AdamW step) of the encoder alone (a dummy loss on its
  output) and of STSN (joint loss on gold spans/pairs plus sampled negatives).

Every system runs `--repeats` full passes over the 231 dev sentences, interleaved; the fastest pass
is reported (the least disturbed by other load) with the median beside it. Building the tensors
(tokenization, indexing, padding) is done beforehand and not timed. The STSN / encoder time ratio
is set against the analytic FLOP ratio (`bench.flops`). The model is the trained full-STSN
archive of `bench.accuracy` when present (so that predicted entities and pairs are realistic);
otherwise a fresh model whose entity decisions are fixed (`FixedDecisionDecoder`) to round(0.12 x
words) single-word entities per sentence (the dev set's gold density), so that the number of pairs
stays realistic.

    .venv/bin/python -m bench.speed                 # ~7 min on 2 idle cores
    .venv/bin/python -m bench.speed --repeats 1 --train-repeats 1 --limit 24 --name smoke  # quick
"""

import argparse
import copy
import resource
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from allennlp.data import Vocabulary
from allennlp.nn import util

from bench.common import (
    FULL_ARCHIVE,
    BenchData,
    add_data_arguments,
    add_output_arguments,
    environment,
    environment_markdown,
    load_average,
    load_model,
    reference,
    require_data,
    write_report,
)
from bench.flops import EncoderDims, HeadDims, encoder_flops, head_flops
from bench.model_tools import (
    BareStack,
    Step,
    TensorDict,
    encoder_training_step,
    evenly_spaced_entities,
    stsn_training_step,
    tensorize,
)
from stsn_allennlp.core.reports import markdown_table
from stsn_allennlp.data import Sentence, StsnDatasetReader, read_spert
from stsn_allennlp.models import Stsn
from stsn_allennlp.models.fixed_decisions import FixedDecisionDecoder

CEILING_LAYERS, CEILING_HEADS = 4, 8
"""The reference bare stack: 4 layers of three attention units with 8 heads."""
WARMUP_BATCHES = 3
"""Untimed batches each system runs before the timed passes."""
GOALS = {"batched_speedup": 2.0, "training_over_flop_prediction": 1.2}
"""
The goals: batched inference at least 2x the sentences/s of one sentence at a time, and
a training step at most 1.2x the time the FLOP ratio predicts (encoder step time x FLOP ratio).
"""


def make_batches(
    sentences: Sequence[Sentence],
    reader: StsnDatasetReader,
    vocab: Vocabulary,
    batch_size: int,
    gold: bool,
) -> list[TensorDict]:
    """
    Tensor dicts of the sentences sorted by length: with `gold`, training instances (gold spans
    and pairs plus sampled negatives), otherwise prediction instances (every candidate span).
    """
    ordered = sorted(sentences, key=lambda sentence: len(sentence.tokens))
    instances = [
        reader.text_to_instance(
            sentence.tokens, sentence.entities, sentence.relations, **sentence.metadata
        )
        if gold
        else reader.text_to_instance(sentence.tokens)
        for sentence in ordered
    ]
    return [
        tensorize(instances[first : first + batch_size], vocab, reader)
        for first in range(0, len(instances), batch_size)
    ]


def timed_pass(step: Step, batches: Sequence[TensorDict]) -> float:
    """Seconds for one pass of `step` over all batches."""
    start = time.perf_counter()
    for batch in batches:
        step(batch)
    return time.perf_counter() - start


def measure(
    systems: dict[str, tuple[Step, list[TensorDict]]], repeats: int, num_sentences: int
) -> dict[str, Any]:
    """Interleaved timed passes of each system after a warm-up; throughput from the fastest pass."""
    for step, batches in systems.values():
        for batch in batches[:WARMUP_BATCHES]:
            step(batch)
    times: dict[str, list[float]] = {name: [] for name in systems}
    loads = []
    for _ in range(repeats):
        for name, (step, batches) in systems.items():
            times[name].append(timed_pass(step, batches))
        loads.append(load_average()[0])
    return {
        name: {
            "best_seconds": round(min(values), 3),
            "median_seconds": round(statistics.median(values), 3),
            "sentences_per_second": round(num_sentences / min(values), 2),
            "sentences_per_second_median": round(num_sentences / statistics.median(values), 2),
            "all_seconds": [round(value, 3) for value in values],
        }
        for name, values in times.items()
    } | {"load_average_1min_after_each_repeat": loads}


def sentence_counts(
    model: Stsn, infer_batches: list[TensorDict], train_batches: list[TensorDict]
) -> list[dict[str, float]]:
    """Per sentence: words, word pieces, inference spans and pairs, training spans and pairs."""
    rows: list[dict[str, float]] = []
    model.eval()
    with torch.inference_mode():
        for batch in infer_batches:
            output = model(**batch)
            tokens = batch["tokens"]["tokens"]
            for index, entities in enumerate(output["entities"]):
                rows.append(
                    {
                        "words": float(tokens["mask"][index].sum()),
                        "pieces": float(tokens["wordpiece_mask"][index].sum()),
                        "spans_inference": float((batch["spans"][index, :, 0] >= 0).sum()),
                        "entities_predicted": float(len(entities)),
                        "pairs_inference": float(len(entities) * (len(entities) - 1)),
                    }
                )
    flat = iter(rows)
    for batch in train_batches:
        for index in range(batch["spans"].size(0)):
            row = next(flat)
            row["spans_training"] = float((batch["spans"][index, :, 0] >= 0).sum())
            row["pairs_training"] = float((batch["relation_pairs"][index, :, 0] >= 0).sum())
    return rows


def flop_ratios(model: Stsn, counts: list[dict[str, float]]) -> dict[str, Any]:
    """STSN / encoder matmul FLOP ratios, summed over sentences and at the average sentence."""
    config = (
        model.text_field_embedder.token_embedder_tokens.word_piece_embedder.transformer_model.config
    )
    encoder = EncoderDims(config.hidden_size, config.intermediate_size, config.num_hidden_layers)
    vocab = model.vocab
    head = HeadDims(
        input_dim=model.encoder.get_input_dim(),
        hidden=model.encoder.get_output_dim(),
        layers=model.encoder.num_layers,
        label_embedding=model.label_embedding_dim,
        width_embedding=model.width_embedding_dim,
        num_tags=vocab.get_vocab_size("bio_labels"),
        num_entity_types=vocab.get_vocab_size("entity_labels"),
        num_relation_types=vocab.get_vocab_size("relation_labels"),
        use_label_embedding=model.label_embedding_dim > 0,
        use_erla=model.encoder.uses_entity_relation_to_label_attention,
    )
    average = {key: statistics.mean(row[key] for row in counts) for key in counts[0]}
    result: dict[str, Any] = {"average_sentence": {k: round(v, 2) for k, v in average.items()}}
    for mode in ("inference", "training"):
        enc_total = sum(encoder_flops(row["pieces"], encoder) for row in counts)
        head_parts = [
            head_flops(row["words"], row[f"spans_{mode}"], row[f"pairs_{mode}"], head)
            for row in counts
        ]
        head_total = {key: sum(parts[key] for parts in head_parts) for key in head_parts[0]}
        avg_enc = encoder_flops(average["pieces"], encoder)
        avg_head = head_flops(
            average["words"], average[f"spans_{mode}"], average[f"pairs_{mode}"], head
        )
        result[mode] = {
            "encoder_mflops_per_sentence": round(enc_total / len(counts) / 1e6, 1),
            "head_mflops_per_sentence": {
                k: round(v / len(counts) / 1e6, 2) for k, v in head_total.items()
            },
            "ratio": round((enc_total + head_total["total"]) / enc_total, 3),
            "ratio_at_average_sentence": round((avg_enc + avg_head["total"]) / avg_enc, 3),
        }
    return result


def report(results: dict[str, Any]) -> str:
    """The Markdown report of the results' JSON, beside the reference figures (`bench/reference.json`)."""
    design_encoder = reference("design_encoder_sentences_per_second")
    design_ceiling = reference("design_ceiling_sentences_per_second")
    rows, train_rows = [], []
    for size, run in results["batches"].items():
        inf, tr = run["inference"], run["training"]
        rows.append(
            [
                size,
                inf["encoder"]["sentences_per_second"],
                design_encoder.get(size, "-"),
                inf["ceiling"]["sentences_per_second"],
                design_ceiling.get(size, "-"),
                inf["stsn"]["sentences_per_second"],
                inf["stsn"]["sentences_per_second_median"],
                f"{run['inference_ratio']:.2f}",
                f"{run['stsn_vs_ceiling']:.2f}",
            ]
        )
        train_rows.append(
            [
                size,
                tr["encoder"]["sentences_per_second"],
                tr["stsn"]["sentences_per_second"],
                tr["stsn"]["sentences_per_second_median"],
                f"{run['training_ratio']:.2f}",
                f"{results['flops']['training']['ratio']:.2f}",
                f"{run['training_ratio_over_flop_ratio']:.2f}",
            ]
        )
    flops = results["flops"]
    avg = flops["average_sentence"]
    goals = results["goals"]
    lines = [
        f"# Speed: STSN vs its encoder (CoNLL04 dev, {results['num_sentences']} sentences, CPU)",
        "",
        environment_markdown(results["environment"]),
        "Load average (1 min) after each repeat: see JSON; at the end: "
        f"{results['load_average_at_end']}.",
        "",
        f"Model: {results['model']}. Sentences sorted by length, then batched; tensors built "
        f"beforehand (not timed); best of {results['repeats']} (inference) or "
        f"{results['train_repeats']} (training) "
        "interleaved passes over all sentences (median beside it).",
        "",
        "Inference (sentences/s; ratio = STSN time / encoder time on the same batches):",
        "",
        markdown_table(
            [
                "batch",
                "encoder",
                "encoder (reference)",
                "ceiling: enc + bare stack",
                "ceiling (reference)",
                "STSN",
                "STSN median",
                "STSN / encoder time",
                "STSN / ceiling time",
            ],
            rows,
        ),
        "",
        "Training steps (forward + backward + AdamW; sentences/s):",
        "",
        markdown_table(
            [
                "batch",
                "encoder",
                "STSN",
                "STSN median",
                "STSN / encoder time",
                "FLOP ratio",
                "measured / FLOP ratio",
            ],
            train_rows,
        ),
        "",
        f"Average dev sentence: {avg['words']:.1f} words, {avg['pieces']:.1f} word pieces, "
        f"{avg['spans_inference']:.0f} candidate spans and {avg['pairs_inference']:.1f} predicted "
        f"pairs ({avg['entities_predicted']:.2f} predicted entities) at inference; "
        f"{avg['spans_training']:.1f} spans "
        f"and {avg['pairs_training']:.1f} pairs in training.",
        "",
        "Analytic matmul FLOPs per sentence (MFLOP, forward; backward scales both sides alike):",
        "",
        markdown_table(
            ["part", "inference", "training"],
            [
                [
                    "encoder (MiniLM, 6 layers)",
                    flops["inference"]["encoder_mflops_per_sentence"],
                    flops["training"]["encoder_mflops_per_sentence"],
                ]
            ]
            + [
                [
                    f"head: {key}",
                    flops["inference"]["head_mflops_per_sentence"][key],
                    flops["training"]["head_mflops_per_sentence"][key],
                ]
                for key in flops["inference"]["head_mflops_per_sentence"]
            ]
            + [
                [
                    "(encoder + head) / encoder",
                    flops["inference"]["ratio"],
                    flops["training"]["ratio"],
                ],
                [
                    "same, at the average sentence",
                    flops["inference"]["ratio_at_average_sentence"],
                    flops["training"]["ratio_at_average_sentence"],
                ],
            ],
        ),
        "",
        "Goals:",
        "",
        f"- Batched inference >= {GOALS['batched_speedup']:g}x one sentence at a time: best "
        f"batched {goals['batched_speedup']:.2f}x (batch {goals['best_batch']}): "
        f"**{goals['batched_goal']}**.",
        f"- Training step <= {GOALS['training_over_flop_prediction']:g}x the FLOP prediction "
        "(encoder step time "
        "x FLOP ratio): measured / predicted = "
        + ", ".join(f"{v:.2f} (batch {k})" for k, v in goals["training_over_prediction"].items())
        + f": **{goals['training_goal']}**.",
    ]
    return "\n".join(lines)


def fixed_entity_density(model: Stsn, sentences: Sequence[Sentence]) -> str:
    """
    Fixes a fresh model's entity decisions to round(density x words) single-word entities per
    sentence, the gold density of `sentences`, so that the number of pairs stays realistic;
    returns the note for the report.
    """
    density = sum(len(s.entities) for s in sentences) / sum(len(s.tokens) for s in sentences)
    model.decoder = FixedDecisionDecoder(
        model.decoder,
        entities=evenly_spaced_entities(model.vocab, lambda words: round(density * words)),
    )
    return (
        f"fresh STSN (no archive found): entity decisions fixed to round({density:.3f} x words) "
        "single-word entities per sentence, the dev set's gold density"
    )


def measure_batch_size(
    model: Stsn,
    readers: tuple[StsnDatasetReader, StsnDatasetReader],
    sentences: Sequence[Sentence],
    size: int,
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Inference of the encoder, the ceiling and STSN, then training steps of encoder and STSN."""
    train_reader, predict_reader = readers
    embedder = model.text_field_embedder
    stack = BareStack(model.encoder.get_output_dim(), CEILING_LAYERS, CEILING_HEADS).eval()
    infer_batches = make_batches(sentences, predict_reader, model.vocab, size, gold=False)
    train_batches = make_batches(sentences, train_reader, model.vocab, size, gold=True)
    model.eval()
    with torch.inference_mode():
        inference = measure(
            {
                "encoder": (lambda batch: embedder(batch["tokens"]), infer_batches),
                "ceiling": (
                    lambda batch: stack(
                        embedder(batch["tokens"]), util.get_text_field_mask(batch["tokens"])
                    ),
                    infer_batches,
                ),
                "stsn": (lambda batch: model(**batch), infer_batches),
            },
            args.repeats,
            len(sentences),
        )
    training = measure(
        {
            "encoder": (encoder_training_step(copy.deepcopy(embedder)), train_batches),
            "stsn": (stsn_training_step(copy.deepcopy(model)), train_batches),
        },
        args.train_repeats,
        len(sentences),
    )
    return {
        "inference": inference,
        "training": training,
        "inference_ratio": inference["stsn"]["best_seconds"] / inference["encoder"]["best_seconds"],
        "stsn_vs_ceiling": inference["stsn"]["best_seconds"] / inference["ceiling"]["best_seconds"],
        "training_ratio": training["stsn"]["best_seconds"] / training["encoder"]["best_seconds"],
    }


def goals(results: dict[str, Any]) -> dict[str, Any]:
    """The batching speed-up and the training steps over the FLOP prediction, against `GOALS`."""
    over = {}
    for size, run in results["batches"].items():
        run["training_ratio_over_flop_ratio"] = (
            run["training_ratio"] / results["flops"]["training"]["ratio"]
        )
        run["inference_ratio_over_flop_ratio"] = (
            run["inference_ratio"] / results["flops"]["inference"]["ratio"]
        )
        over[size] = round(run["training_ratio_over_flop_ratio"], 3)
    throughput = {
        size: run["inference"]["stsn"]["sentences_per_second"]
        for size, run in results["batches"].items()
    }
    best = max((s for s in throughput if s != "1"), key=lambda s: throughput[s], default="1")
    speedup = throughput[best] / throughput["1"] if "1" in throughput else float("nan")
    met = [size for size, value in over.items() if value <= GOALS["training_over_flop_prediction"]]
    return {
        "batched_speedup": speedup,
        "best_batch": best,
        "batched_goal": "met" if speedup >= GOALS["batched_speedup"] else "not met",
        "training_over_prediction": over,
        "training_goal": "met at every batch size"
        if len(met) == len(over)
        else ("met at batch " + ", ".join(met) if met else "not met"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--repeats", type=int, default=3, help="timed passes per inference system")
    parser.add_argument(
        "--train-repeats", type=int, default=2, help="timed passes per training system"
    )
    parser.add_argument("--limit", type=int, help="only the first N dev sentences (quick runs)")
    parser.add_argument(
        "--archive",
        type=Path,
        default=FULL_ARCHIVE,
        help="trained model (realistic entities and pairs); a fresh model when absent",
    )
    parser.add_argument("--name", default="speed", help="result file name")
    add_data_arguments(parser)
    add_output_arguments(parser)
    args = parser.parse_args()

    data = require_data(BenchData.from_args(args))
    env = environment()
    torch.manual_seed(13)
    model, train_reader, predict_reader, trained = load_model(data, args.archive)
    sentences = read_spert(data.dev_file)[: args.limit]
    model_note = (
        f"trained full STSN from {args.archive} (predicted entities are the model's own)"
        if trained
        else fixed_entity_density(model, sentences)
    )
    results: dict[str, Any] = {
        "environment": env,
        "model": model_note,
        "repeats": args.repeats,
        "train_repeats": args.train_repeats,
        "num_sentences": len(sentences),
        "batches": {},
    }
    for size in args.batch_sizes:
        print(f"[{time.strftime('%H:%M:%S')}] batch {size}", flush=True)
        run = measure_batch_size(model, (train_reader, predict_reader), sentences, size, args)
        results["batches"][str(size)] = run
        print(
            {
                k: v["sentences_per_second"]
                for k, v in run["inference"].items()
                if isinstance(v, dict)
            },
            {
                k: v["sentences_per_second"]
                for k, v in run["training"].items()
                if isinstance(v, dict)
            },
            flush=True,
        )

    counts = sentence_counts(
        model,
        make_batches(sentences, predict_reader, model.vocab, 1, gold=False),
        make_batches(sentences, train_reader, model.vocab, 1, gold=True),
    )
    results["flops"] = flop_ratios(model, counts)
    results["goals"] = goals(results)
    results["peak_rss_MB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    results["load_average_at_end"] = load_average()
    write_report(args.output_dir, args.name, results, report)


if __name__ == "__main__":
    main()
