"""Print the predictions file of `allennlp predict --predictor stsn` for a person to read."""
import json
import sys


def describe(sentence: dict) -> str:
    entities = sentence["entities"]
    lines = [" ".join(sentence["tokens"])]
    for entity in entities:
        lines.append(f"  entity   {entity['type']:<12} {entity['text']!r} ({entity['score']:.2f})")
    for relation in sentence["relations"]:
        head, tail = entities[relation["head"]]["text"], entities[relation["tail"]]["text"]
        lines.append(f"  relation {relation['type']:<12} {head!r} -> {tail!r} ({relation['score']:.2f})")
    return "\n".join(lines)


def main(path: str) -> None:
    with open(path) as predictions:
        for line in predictions:
            record = json.loads(line)
            for sentence in record.get("sentences", [record]):
                print(describe(sentence))


if __name__ == "__main__":
    main(sys.argv[1])
