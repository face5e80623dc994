"""Why relations are missed in long sentences: RE+ by the distance between a relation's spans, and
the relation pairs of gold data by distance.

    python -m bench.long_sentences GOLD PREDICTIONS [--train TRAIN] [--name long_sentences]

GOLD is SpERT JSON, PREDICTIONS the predictor's JSON lines for the same sentences (e.g. `allennlp
predict MODEL GOLD --predictor stsn --use-dataset-reader`). For sentences of at least
`LONG_SENTENCE` tokens and for all, it counts correct, spurious and missed RE+ relations per
distance bucket (tokens between the two spans, `relation_classifier.distance_buckets`), and how many
missed relations lack a found argument entity; and the false positive entities by kind in the
long sentences and in the shorter ones, with the long sentences' spurious ones listed. With
`--train`, the share of gold-entity pairs that hold a relation, per distance bucket (what a
distance feature can learn). Results:
`<output-dir>/<name>.{json,md}`. `long_sentence_scores` is the F1 of the long sentences, which
`bench.accuracy` records for every dev run.
"""

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from bench.common import add_output_arguments, write_report
from stsn_allennlp.core.error_analysis import SENTENCE_LENGTH_BUCKETS, counts_by_sentence_length
from stsn_allennlp.core.error_kinds import count_error_kinds, entity_false_positive_kind
from stsn_allennlp.core.reports import markdown_table
from stsn_allennlp.core.scoring import compute_scores, entity_items, relation_items
from stsn_allennlp.data import Sentence, read_spert, read_spert_either
from stsn_allennlp.modules.relation_classifier import NUM_DISTANCE_BUCKETS, distance_buckets

LONG_BUCKET = SENTENCE_LENGTH_BUCKETS[-1]
"""The error analysis' last sentence-length bucket (>= 50 tokens), what "long" means here."""
LONG_SENTENCE = LONG_BUCKET.low
BUCKET_LABELS = ["0", "1", "2", "3", "4", "5-7", "8-15", "16-31", "32-63", "64+"]


def distance(head: Sequence[int], tail: Sequence[int]) -> int:
    """Tokens strictly between two end-exclusive spans; 0 when adjacent or overlapping."""
    return max(0, max(head[0], tail[0]) - min(head[1], tail[1]))


def bucket(value: int) -> int:
    return int(distance_buckets(torch.tensor([value]))[0])


def relation_counts(gold: Sequence[Sentence], predicted: Sequence[Sentence]) -> dict[str, Any]:
    """Correct, spurious and missed RE+ relations per distance bucket, and the missed ones whose
    argument entities were not both found."""
    counts: dict[str, Counter] = {kind: Counter() for kind in ("correct", "spurious", "missed")}
    missed_argument = 0
    for gold_sentence, predicted_sentence in zip(gold, predicted, strict=True):
        found = entity_items(predicted_sentence.entities)
        gold_items = relation_items(
            gold_sentence.entities, gold_sentence.relations, frozenset(), True
        )
        predicted_items = relation_items(
            predicted_sentence.entities, predicted_sentence.relations, frozenset(), True
        )
        for item in predicted_items:
            counts["correct" if item in gold_items else "spurious"][
                bucket(distance(*item[:2]))
            ] += 1
        for item in gold_items - predicted_items:
            counts["missed"][bucket(distance(*item[:2]))] += 1
            missed_argument += not (item[0] in found and item[1] in found)
    return {
        **{
            kind: [counter[b] for b in range(NUM_DISTANCE_BUCKETS)]
            for kind, counter in counts.items()
        },
        "missed_with_an_argument_not_found": missed_argument,
    }


def related_share(train: Sequence[Sentence]) -> list[list[int]]:
    """Per distance bucket: `[related, unrelated]` ordered pairs of distinct gold entities."""
    shares = [[0, 0] for _ in range(NUM_DISTANCE_BUCKETS)]
    for sentence in train:
        related = {(relation.head, relation.tail) for relation in sentence.relations}
        for i, head in enumerate(sentence.entities):
            for j, tail in enumerate(sentence.entities):
                if i != j:
                    shares[bucket(distance(head, tail))][(i, j) not in related] += 1
    return shares


def entity_false_positives(
    gold: Sequence[Sentence], predicted: Sequence[Sentence]
) -> dict[str, int]:
    """The gold entities and the false positive entities by kind (`type`, `boundary`,
    `spurious`: overlapping no gold entity; `stsn_allennlp.core.error_kinds`)."""
    return {
        "gold_entities": sum(len(sentence.entities) for sentence in gold),
        **count_error_kinds(gold, predicted).as_dict()["entity_false_positives"],
    }


def spurious_entities(gold: Sequence[Sentence], predicted: Sequence[Sentence]) -> list[list[str]]:
    """The predicted entities that overlap no gold entity, as `[type, words]`, sentence by
    sentence (to read whether the model or the gold is wrong)."""
    return [
        [entity.type, " ".join(predicted_sentence.tokens[entity.start : entity.end])]
        for gold_sentence, predicted_sentence in zip(gold, predicted, strict=True)
        for entity in sorted(set(predicted_sentence.entities) - set(gold_sentence.entities))
        if entity_false_positive_kind(entity, frozenset(gold_sentence.entities)) == "spurious"
    ]


def long_sentence_scores(gold: Sequence[Sentence], predicted: Sequence[Sentence]) -> dict[str, Any]:
    """NER and RE+ micro F1 over the sentences of at least `LONG_SENTENCE` tokens (the error
    analysis' last sentence-length bucket), with their number and their gold relations;
    `predicted` may cover only the first sentences of `gold`."""
    gold = gold[: len(predicted)]
    counts = counts_by_sentence_length(gold, predicted)[LONG_BUCKET.label]
    scores = compute_scores(counts)
    return {
        "sentences": sum(len(sentence.tokens) >= LONG_SENTENCE for sentence in gold),
        "gold_relations": sum(counts.re_plus.gold.values()),
        "ner_f1_micro": round(scores["ner_f1_micro"], 2),
        "re_plus_f1_micro": round(scores["re_plus_f1_micro"], 2),
    }


def measure(gold_file: Path, predictions_file: Path, train_file: Path | None) -> dict[str, Any]:
    """The counts of `relation_counts` for all sentences and for the long ones, the
    `entity_false_positives` of the long and the shorter ones and, with `train_file`, the related
    share of its gold-entity pairs by distance (`related_share`)."""
    gold, predicted = read_spert(gold_file), read_spert_either(predictions_file)
    if len(predicted) != len(gold):
        raise SystemExit(
            f"{predictions_file} holds {len(predicted)} predicted sentences, {gold_file} "
            f"{len(gold)} gold ones: predict the same file (--use-dataset-reader)"
        )
    parts: dict[str, tuple[list[Sentence], list[Sentence]]] = {
        "shorter": ([], []),
        "long": ([], []),
    }
    for gold_sentence, predicted_sentence in zip(gold, predicted, strict=True):
        part = parts["long" if len(gold_sentence.tokens) >= LONG_SENTENCE else "shorter"]
        part[0].append(gold_sentence)
        part[1].append(predicted_sentence)
    results: dict[str, Any] = {
        "gold": str(gold_file),
        "predictions": str(predictions_file),
        "long_sentence_tokens": LONG_SENTENCE,
        "all": relation_counts(gold, predicted),
        "long": relation_counts(*parts["long"]),
        "long_sentences": len(parts["long"][0]),
        "entity_false_positives": {
            name: entity_false_positives(*part) for name, part in parts.items()
        },
        "long_spurious_entities": spurious_entities(*parts["long"]),
    }
    if train_file:
        shares = related_share(read_spert(train_file))
        results["train"] = str(train_file)
        results["train_related_share"] = shares
        results["train_related_percent"] = [
            round(100 * related / max(related + unrelated, 1), 1) for related, unrelated in shares
        ]
    return results


def report(results: dict[str, Any]) -> str:
    """The Markdown report of the results' JSON."""
    lines = [
        f"# RE+ by the distance between a relation's spans ({Path(results['predictions']).name})",
        "",
    ]
    parts = (("all", "all sentences"), ("long", f">= {results['long_sentence_tokens']} tokens"))
    for part, title in parts:
        counts = results[part]
        rows = [
            [label, counts["correct"][b], counts["spurious"][b], counts["missed"][b]]
            for b, label in enumerate(BUCKET_LABELS)
        ]
        lines += [
            f"## {title}: {counts['missed_with_an_argument_not_found']} of "
            f"{sum(counts['missed'])} missed relations lack a found argument entity",
            "",
            markdown_table(["tokens between", "correct", "spurious", "missed"], rows),
            "",
        ]
    if "entity_false_positives" in results:
        kinds = ("type", "boundary", "spurious", "total")
        rows = [
            [
                title,
                counts["gold_entities"],
                *(
                    f"{counts[kind]} ({100 * counts[kind] / max(counts['gold_entities'], 1):.1f})"
                    for kind in kinds
                ),
            ]
            for title, counts in zip(
                (
                    f"< {results['long_sentence_tokens']} tokens",
                    f">= {results['long_sentence_tokens']} tokens",
                ),
                (results["entity_false_positives"][part] for part in ("shorter", "long")),
                strict=True,
            )
        ]
        lines += [
            "## False positive entities by kind (per 100 gold entities)",
            "",
            "`spurious`: overlapping no gold entity; `boundary`: overlapping one with other "
            "boundaries; `type`: a gold span with another type (`stsn_allennlp.core.error_kinds`).",
            "",
            markdown_table(["sentences", "gold entities", *kinds], rows),
            "",
            "The spurious entities of the long sentences: "
            + ", ".join(f"`{words}` ({kind})" for kind, words in results["long_spurious_entities"])
            + ".",
            "",
        ]
    if "train" in results:
        rows = [
            [label, related, unrelated, f"{percent:.1f}"]
            for label, (related, unrelated), percent in zip(
                BUCKET_LABELS,
                results["train_related_share"],
                results["train_related_percent"],
                strict=True,
            )
        ]
        lines += [
            f"## Gold-entity pairs of {Path(results['train']).name} by distance",
            "",
            markdown_table(["tokens between", "related", "unrelated", "related %"], rows),
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("gold", type=Path)
    parser.add_argument("predictions", type=Path)
    parser.add_argument("--train", type=Path, help="SpERT JSON: related share of pairs by distance")
    parser.add_argument("--name", default="long_sentences")
    add_output_arguments(parser)
    args = parser.parse_args()
    results = measure(args.gold, args.predictions, args.train)
    write_report(args.output_dir, args.name, results, report)


if __name__ == "__main__":
    main()
