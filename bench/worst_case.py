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

import torch

from bench.common import (
    BenchData,
    add_data_arguments,
    add_output_arguments,
    environment,
    environment_markdown,
    load_model,
    markdown_table,
    require_data,
    write_report,
)
from bench.model_tools import every_span_an_entity
from stsn_allennlp.data import read_spert
from stsn_allennlp.models import Stsn
from stsn_allennlp.models.fixed_decisions import FixedDecisionDecoder

TARGET = {"peak_rss_MB": 2500, "seconds": 120}
"""Issue 13's target for the worst case: peak resident memory and wall time of the prediction."""


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
    model, _, reader, _ = load_model(data, overrides={"model": {"entity_overlap": "any"}})
    model.eval()
    force_every_decision(model)
    words = [word for sentence in read_spert(data.dev_file) for word in sentence.tokens][
        : args.words
    ]
    instance = reader.text_to_instance(words)
    reader.apply_token_indexers(instance)
    start = time.perf_counter()
    with torch.no_grad():
        output = model.forward_on_instance(instance)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "environment": environment(),
        "words": len(words),
        "candidate_spans": len(instance["spans"]),
        "entities_returned": len(output["entities"]),
        "relations_returned": len(output["relations"]),
        "seconds": round(seconds, 1),
        "peak_rss_MB": round(peak),
        "target": TARGET,
    }
    met = result["peak_rss_MB"] <= TARGET["peak_rss_MB"] and result["seconds"] <= TARGET["seconds"]
    markdown = "\n".join(
        [
            "# Worst-case inference: every span an entity, every pair related",
            "",
            environment_markdown(result["environment"]),
            "",
            markdown_table(
                [
                    "words",
                    "candidate spans",
                    "entities returned",
                    "relations returned",
                    "seconds",
                    "peak RSS MB",
                ],
                [
                    [
                        result["words"],
                        result["candidate_spans"],
                        result["entities_returned"],
                        result["relations_returned"],
                        result["seconds"],
                        result["peak_rss_MB"],
                    ]
                ],
            ),
            "",
            "Model: a fresh MiniLM STSN with forced decisions, "
            "default caps (2 entities and 2 relations per word). Target: at most "
            f"{TARGET['peak_rss_MB']} MB and {TARGET['seconds']} s: "
            f"**{'met' if met else 'not met'}**.",
        ]
    )
    write_report(args.output_dir, args.name, result, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
