"""Worst-case inference: a model that calls every candidate span an entity and every pair related.

One sentence of `--words` words (default 600, CoNLL04 dev words in order) is predicted by a fresh
MiniLM STSN (pretrained encoder; the decisions are forced, so trained heads would change nothing),
with every predicted entity kept (`entity_overlap: any`, the loosest decoding). The per-sentence
caps (`max_entities_per_word`, `max_relations_per_word`) are what bound it. Peak resident memory is
the whole process's (`ru_maxrss`, model loading included); run it alone. Target
(`TARGET`): within 2.5 GB and 120 s on a 2-core machine.

    python -m bench.worst_case [--words 600] [--name worst_case]
"""

import argparse
import resource
import time
from typing import Any

import torch

from bench.common import (
    BenchData,
    add_data_arguments,
    add_output_arguments,
    environment,
    environment_markdown,
    load_model,
    require_data,
    write_report,
)
from bench.model_tools import every_span_an_entity
from stsn_allennlp.core.reports import markdown_table
from stsn_allennlp.data import StsnDatasetReader, read_spert
from stsn_allennlp.models import Stsn
from stsn_allennlp.models.fixed_decisions import FixedDecisionDecoder

TARGET = {"peak_rss_MB": 2500, "seconds": 120}
"""The target for the worst case: peak resident memory and wall time of the prediction."""


def force_every_decision(model: Stsn) -> None:
    """Makes inference call every candidate span an entity and every pair related (every type)."""
    model.decoder = FixedDecisionDecoder(
        model.decoder, entities=every_span_an_entity(model.vocab), relations=torch.ones_like
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--words", type=int, default=600, help="the sentence's length (dev words in order)"
    )
    parser.add_argument("--name", default="worst_case", help="result file name")
    add_data_arguments(parser)
    add_output_arguments(parser)
    args = parser.parse_args()
    data = require_data(BenchData.from_args(args))
    # every entity kept and every pair related whatever its types: nothing filtered
    model, _, reader, _ = load_model(
        data, overrides={"model": {"entity_overlap": "any", "restrict_argument_types": False}}
    )
    model.eval()
    force_every_decision(model)
    words = [word for sentence in read_spert(data.dev_file) for word in sentence.tokens][
        : args.words
    ]
    result = measure(model, reader, words)
    write_report(args.output_dir, args.name, result, report)


def measure(model: Stsn, reader: StsnDatasetReader, words: list[str]) -> dict[str, Any]:
    """One prediction of `words` with every decision forced, its time and peak memory, against
    `TARGET`."""
    instance = reader.text_to_instance(words)
    reader.apply_token_indexers(instance)
    start = time.perf_counter()
    with torch.no_grad():
        output = model.forward_on_instance(instance)
    seconds = round(time.perf_counter() - start, 1)
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return {
        "environment": environment(),
        "words": len(words),
        "candidate_spans": len(instance["spans"]),
        "entities_returned": len(output["entities"]),
        "relations_returned": len(output["relations"]),
        "seconds": seconds,
        "peak_rss_MB": peak,
        "target": TARGET,
        "target_met": peak <= TARGET["peak_rss_MB"] and seconds <= TARGET["seconds"],
    }


def report(result: dict[str, Any]) -> str:
    """The Markdown report of the result's JSON."""
    columns = (
        ("words", "words"),
        ("candidate_spans", "candidate spans"),
        ("entities_returned", "entities returned"),
        ("relations_returned", "relations returned"),
        ("seconds", "seconds"),
        ("peak_rss_MB", "peak RSS MB"),
    )
    target = result["target"]
    return "\n".join(
        [
            "# Worst-case inference: every span an entity, every pair related",
            "",
            environment_markdown(result["environment"]),
            "",
            markdown_table([title for _, title in columns], [[result[key] for key, _ in columns]]),
            "",
            "Model: a fresh MiniLM STSN with forced decisions, "
            "default caps (2 entities and 2 relations per word). Target: at most "
            f"{target['peak_rss_MB']} MB and {target['seconds']} s: "
            f"**{'met' if result['target_met'] else 'not met'}**.",
        ]
    )


if __name__ == "__main__":
    main()
