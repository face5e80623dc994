"""Training and inference throughput of STSN vs its bare encoder on CoNLL04 dev sentences.

For batch sizes 1, 8 and 32 (sentences sorted by length, then cut into batches) it times, on the
same pre-built batches and with 2 threads:

- inference: the encoder alone (all-MiniLM-L6-v2 + max-pooling to words: the floor), the DESIGN's
  ceiling (encoder + a bare STSN-shaped stack of 4 x 3 attention units, no heads) and the full STSN
  `forward` in eval mode (all candidate spans, pairs among predicted entities, decoding);
- training: one step (forward, backward, AdamW step) of the encoder alone (a dummy loss on its
  output) and of STSN (joint loss on gold spans/pairs plus sampled negatives).

Every system runs `--repeats` full passes over the 231 dev sentences, interleaved; the fastest pass
is reported (the least disturbed by other load) with the median beside it. Building the tensors
(tokenization, indexing, padding) is done beforehand and not timed. The STSN / encoder time ratio
is set against the analytic FLOP ratio (`bench/flops.py`). The model is the trained full-STSN
archive of `bench/accuracy.py` when present (so that predicted entities and pairs are realistic);
otherwise a fresh model whose span classifier is forced to predict round(0.12 x words) single-word
entities per sentence (the dev set's gold density), so that the number of pairs stays realistic.

    .venv/bin/python bench/speed.py                 # ~7 min on 2 idle cores
    .venv/bin/python bench/speed.py --repeats 1 --train-repeats 1 --limit 24 --name smoke   # smoke test
"""
import argparse
import copy
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    DEV_FILE,
    FULL_ARCHIVE,
    environment,
    environment_markdown,
    load_average,
    load_model,
    markdown_table,
    read_spert,
    require_data,
    write_report,
)
from bench.flops import EncoderDims, HeadDims, encoder_flops, head_flops  # noqa: E402
from bench.model_tools import BareStack, ForcedEntities, tensorize  # noqa: E402

import torch  # noqa: E402

DESIGN_CEILING = {1: 38.4, 8: 47.0, 32: 34.3}
DESIGN_ENCODER = {1: 82.4, 8: 99.4, 32: 71.4}


def make_batches(records: Sequence[Dict[str, Any]], reader, vocab, batch_size: int, gold: bool) -> List[Dict[str, Any]]:
    """Tensor dicts of the records sorted by length; with `gold`, training instances (sampled negatives)."""
    ordered = sorted(records, key=lambda record: len(record["tokens"]))
    batches = []
    for first in range(0, len(ordered), batch_size):
        instances = []
        for record in ordered[first:first + batch_size]:
            if gold:
                entities = [(e["start"], e["end"], e["type"]) for e in record["entities"]]
                relations = [(r["head"], r["tail"], r["type"]) for r in record["relations"]]
                instances.append(reader.text_to_instance(record["tokens"], entities, relations))
            else:
                instances.append(reader.text_to_instance(record["tokens"]))
        batches.append(tensorize(instances, vocab, reader))
    return batches


def timed_pass(step: Callable[[Dict[str, Any]], Any], batches: Sequence[Dict[str, Any]]) -> float:
    """Seconds for one pass of `step` over all batches."""
    start = time.perf_counter()
    for batch in batches:
        step(batch)
    return time.perf_counter() - start


def training_step(module: torch.nn.Module, loss_fn: Callable[[Dict[str, Any]], torch.Tensor]) -> Callable:
    """A forward/backward/AdamW step for `module` with loss `loss_fn(batch)`."""
    optimizer = torch.optim.AdamW([p for p in module.parameters() if p.requires_grad], lr=1e-5)
    module.train()

    def step(batch: Dict[str, Any]) -> None:
        optimizer.zero_grad(set_to_none=True)
        loss_fn(batch).backward()
        optimizer.step()

    return step


def measure(systems: Dict[str, Tuple[Callable, List[Dict[str, Any]]]], repeats: int, num_sentences: int) -> Dict[str, Any]:
    """Interleaved timed passes of each system; throughput from the fastest pass."""
    for step, batches in systems.values():  # warm-up
        for batch in batches[:3]:
            step(batch)
    times: Dict[str, List[float]] = {name: [] for name in systems}
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


def sentence_counts(model, infer_batches, train_batches) -> List[Dict[str, float]]:
    """Per sentence: words, word pieces, inference spans and predicted pairs, training spans and pairs."""
    rows: List[Dict[str, float]] = []
    model.eval()
    with torch.inference_mode():
        for batch in infer_batches:
            output = model(**batch)
            tokens = batch["tokens"]["tokens"]
            for index, entities in enumerate(output["entities"]):
                rows.append({
                    "words": float(tokens["mask"][index].sum()),
                    "pieces": float(tokens["wordpiece_mask"][index].sum()),
                    "spans_inference": float((batch["spans"][index, :, 0] >= 0).sum()),
                    "entities_predicted": float(len(entities)),
                    "pairs_inference": float(len(entities) * (len(entities) - 1)),
                })
    flat = iter(rows)
    for batch in train_batches:
        for index in range(batch["spans"].size(0)):
            row = next(flat)
            row["spans_training"] = float((batch["spans"][index, :, 0] >= 0).sum())
            row["pairs_training"] = float((batch["relation_pairs"][index, :, 0] >= 0).sum())
    return rows


def flop_ratios(model, counts: List[Dict[str, float]]) -> Dict[str, Any]:
    """STSN / encoder matmul FLOP ratios, summed over sentences and at the average sentence."""
    config = model._text_field_embedder._token_embedders["tokens"]._matched_embedder.transformer_model.config
    encoder = EncoderDims(config.hidden_size, config.intermediate_size, config.num_hidden_layers)
    vocab = model.vocab
    head = HeadDims(
        input_dim=config.hidden_size, hidden=model._encoder.get_output_dim(),
        layers=len(model._encoder._stack.layers),
        label_embedding=model._label_embedding.embedding_dim if model._label_embedding is not None else 0,
        width_embedding=model._span_representation.width_embedding.embedding_dim,
        num_tags=vocab.get_vocab_size("bio_labels"), num_entity_types=vocab.get_vocab_size("entity_labels"),
        num_relation_types=vocab.get_vocab_size("relation_labels"),
        use_label_embedding=model._label_embedding is not None,
        use_erla=bool(model._encoder._stack.layers) and model._encoder._stack.layers[0].use_entity_relation_to_label_attention,
    )
    average = {key: statistics.mean(row[key] for row in counts) for key in counts[0]}
    result: Dict[str, Any] = {"average_sentence": {k: round(v, 2) for k, v in average.items()}}
    for mode in ("inference", "training"):
        enc_total = sum(encoder_flops(row["pieces"], encoder) for row in counts)
        head_parts = [head_flops(row["words"], row[f"spans_{mode}"], row[f"pairs_{mode}"], head) for row in counts]
        head_total = {key: sum(parts[key] for parts in head_parts) for key in head_parts[0]}
        avg_enc = encoder_flops(average["pieces"], encoder)
        avg_head = head_flops(average["words"], average[f"spans_{mode}"], average[f"pairs_{mode}"], head)
        result[mode] = {
            "encoder_mflops_per_sentence": round(enc_total / len(counts) / 1e6, 1),
            "head_mflops_per_sentence": {k: round(v / len(counts) / 1e6, 2) for k, v in head_total.items()},
            "ratio": round((enc_total + head_total["total"]) / enc_total, 3),
            "ratio_at_average_sentence": round((avg_enc + avg_head["total"]) / avg_enc, 3),
        }
    return result


def report(results: Dict[str, Any]) -> str:
    """The Markdown report."""
    rows, train_rows = [], []
    for size, run in results["batches"].items():
        inf, tr = run["inference"], run["training"]
        rows.append([
            size, inf["encoder"]["sentences_per_second"], DESIGN_ENCODER.get(int(size), "-"),
            inf["ceiling"]["sentences_per_second"], DESIGN_CEILING.get(int(size), "-"),
            inf["stsn"]["sentences_per_second"], inf["stsn"]["sentences_per_second_median"],
            f"{run['inference_ratio']:.2f}", f"{run['stsn_vs_ceiling']:.2f}",
        ])
        train_rows.append([
            size, tr["encoder"]["sentences_per_second"], tr["stsn"]["sentences_per_second"],
            tr["stsn"]["sentences_per_second_median"], f"{run['training_ratio']:.2f}",
            f"{results['flops']['training']['ratio']:.2f}", f"{run['training_ratio_over_flop_ratio']:.2f}",
        ])
    flops = results["flops"]
    avg = flops["average_sentence"]
    goals = results["goals"]
    lines = [
        f"# Speed: STSN vs its encoder (CoNLL04 dev, {results['num_sentences']} sentences, CPU)",
        "",
        environment_markdown(results["environment"]),
        f"Load average (1 min) after each repeat: see JSON; at the end: {results['load_average_at_end']}.",
        "",
        f"Model: {results['model']}. Sentences sorted by length, then batched; tensors built beforehand "
        f"(not timed); best of {results['repeats']} (inference) or {results['train_repeats']} (training) "
        "interleaved passes over all sentences (median beside it).",
        "",
        "Inference (sentences/s; ratio = STSN time / encoder time on the same batches):",
        "",
        markdown_table(
            ["batch", "encoder", "encoder (DESIGN)", "ceiling: enc + bare stack", "ceiling (DESIGN)",
             "STSN", "STSN median", "STSN / encoder time", "STSN / ceiling time"],
            rows,
        ),
        "",
        "Training steps (forward + backward + AdamW; sentences/s):",
        "",
        markdown_table(
            ["batch", "encoder", "STSN", "STSN median", "STSN / encoder time", "FLOP ratio", "measured / FLOP ratio"],
            train_rows,
        ),
        "",
        f"Average dev sentence: {avg['words']:.1f} words, {avg['pieces']:.1f} word pieces, "
        f"{avg['spans_inference']:.0f} candidate spans and {avg['pairs_inference']:.1f} predicted pairs "
        f"({avg['entities_predicted']:.2f} predicted entities) at inference; {avg['spans_training']:.1f} spans "
        f"and {avg['pairs_training']:.1f} pairs in training.",
        "",
        "Analytic matmul FLOPs per sentence (MFLOP, forward; backward scales both sides alike):",
        "",
        markdown_table(
            ["part", "inference", "training"],
            [["encoder (MiniLM, 6 layers)", flops["inference"]["encoder_mflops_per_sentence"],
              flops["training"]["encoder_mflops_per_sentence"]]]
            + [[f"head: {key}", flops["inference"]["head_mflops_per_sentence"][key],
                flops["training"]["head_mflops_per_sentence"][key]]
               for key in flops["inference"]["head_mflops_per_sentence"]]
            + [["(encoder + head) / encoder", flops["inference"]["ratio"], flops["training"]["ratio"]],
               ["same, at the average sentence", flops["inference"]["ratio_at_average_sentence"],
                flops["training"]["ratio_at_average_sentence"]]],
        ),
        "",
        "Goals:",
        "",
        f"- Batched inference >= 2x one sentence at a time: best batched {goals['batched_speedup']:.2f}x "
        f"(batch {goals['best_batch']}): **{'met' if goals['batched_speedup'] >= 2 else 'not met'}**.",
        f"- Training step <= 1.2x the FLOP prediction (encoder step time x FLOP ratio): measured / predicted = "
        + ", ".join(f"{v:.2f} (batch {k})" for k, v in goals["training_over_prediction"].items())
        + f": **{goals['training_goal']}**.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--repeats", type=int, default=3, help="timed passes per inference system")
    parser.add_argument("--train-repeats", type=int, default=2, help="timed passes per training system")
    parser.add_argument("--limit", type=int, help="only the first N dev sentences (smoke tests)")
    parser.add_argument("--archive", type=Path, default=FULL_ARCHIVE)
    parser.add_argument("--name", default="speed")
    args = parser.parse_args()

    require_data()
    env = environment()
    torch.manual_seed(13)
    model, train_reader, predict_reader, trained = load_model(args.archive)
    model.eval()
    records = read_spert(DEV_FILE)[: args.limit]
    if trained:
        model_note = f"trained full STSN from {args.archive} (predicted entities are the model's own)"
    else:
        density = sum(len(r["entities"]) for r in records) / sum(len(r["tokens"]) for r in records)
        model_note = (f"fresh STSN (no archive found): span classifier forced to round({density:.3f} x words) "
                      "entities per sentence, the dev set's gold density")
        ForcedEntities.install(model, lambda words: round(density * words))
    embedder = model._text_field_embedder
    stack = BareStack(model._encoder.get_output_dim(), num_layers=4, num_heads=8).eval()

    from allennlp.nn import util

    def stsn_infer(batch: Dict[str, Any]) -> Dict[str, Any]:
        return model(**batch)

    def encoder_infer(batch: Dict[str, Any]) -> torch.Tensor:
        return embedder(batch["tokens"])

    def ceiling_infer(batch: Dict[str, Any]) -> torch.Tensor:
        return stack(embedder(batch["tokens"]), util.get_text_field_mask(batch["tokens"]))

    results: Dict[str, Any] = {"environment": env, "model": model_note, "repeats": args.repeats,
                               "train_repeats": args.train_repeats,
                               "num_sentences": len(records), "batches": {}}
    for size in args.batch_sizes:
        print(f"[{time.strftime('%H:%M:%S')}] batch {size}", flush=True)
        infer_batches = make_batches(records, predict_reader, model.vocab, size, gold=False)
        train_batches = make_batches(records, train_reader, model.vocab, size, gold=True)
        with torch.inference_mode():
            inference = measure(
                {"encoder": (encoder_infer, infer_batches), "ceiling": (ceiling_infer, infer_batches),
                 "stsn": (stsn_infer, infer_batches)},
                args.repeats, len(records),
            )
        train_model = copy.deepcopy(model)
        train_embedder = copy.deepcopy(embedder)
        training = measure(
            {"encoder": (training_step(train_embedder, lambda b: train_embedder(b["tokens"]).pow(2).mean()), train_batches),
             "stsn": (training_step(train_model, lambda b: train_model(**b)["loss"]), train_batches)},
            args.train_repeats, len(records),
        )
        del train_model, train_embedder
        model.eval()
        results["batches"][str(size)] = {
            "inference": inference, "training": training,
            "inference_ratio": inference["stsn"]["best_seconds"] / inference["encoder"]["best_seconds"],
            "stsn_vs_ceiling": inference["stsn"]["best_seconds"] / inference["ceiling"]["best_seconds"],
            "training_ratio": training["stsn"]["best_seconds"] / training["encoder"]["best_seconds"],
        }
        print({k: v["sentences_per_second"] for k, v in inference.items() if isinstance(v, dict)},
              {k: v["sentences_per_second"] for k, v in training.items() if isinstance(v, dict)}, flush=True)

    counts = sentence_counts(model, make_batches(records, predict_reader, model.vocab, 1, gold=False),
                             make_batches(records, train_reader, model.vocab, 1, gold=True))
    results["flops"] = flop_ratios(model, counts)
    over = {}
    for size, run in results["batches"].items():
        run["training_ratio_over_flop_ratio"] = run["training_ratio"] / results["flops"]["training"]["ratio"]
        run["inference_ratio_over_flop_ratio"] = run["inference_ratio"] / results["flops"]["inference"]["ratio"]
        over[size] = round(run["training_ratio_over_flop_ratio"], 3)
    throughput = {size: run["inference"]["stsn"]["sentences_per_second"] for size, run in results["batches"].items()}
    best = max((s for s in throughput if s != "1"), key=lambda s: throughput[s], default="1")
    results["goals"] = {
        "batched_speedup": throughput[best] / throughput["1"] if "1" in throughput else float("nan"),
        "best_batch": best,
        "training_over_prediction": over,
        "training_goal": "met at every batch size" if all(v <= 1.2 for v in over.values())
        else ("met at batch " + ", ".join(k for k, v in over.items() if v <= 1.2) if any(v <= 1.2 for v in over.values())
              else "not met"),
    }
    results["peak_rss_MB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    results["load_average_at_end"] = load_average()
    write_report(args.name, results, report(results))


if __name__ == "__main__":
    main()
