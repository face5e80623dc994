"""A small corpus in every input format, and readers of an extraction's output folder."""

import gzip
import json
from pathlib import Path

import pytest

from stsn_allennlp.extract.__main__ import main

JSON_LINES = [
    '{"sentence": "John Smith works for Acme Corp in Boston."}',
    '{"document": "Mary Jones lives in Paris. She works for Globex."}',
    "not json",
    '{"tokens": ["Peter", "Brown", "lives", "in", "Berlin", "."]}',
    "",
    '{"text": "no known key"}',
    '{"sentence": "Zoë Müller wohnt in Köln."}',
]
"""Seven input records: three bad (invalid JSON, a wrong field; the blank line is an empty
sentence), one a document of two sentences."""
TEXT_LINES = [
    b"Anna Berg founded Nordic Steel in Oslo. It grew fast.",
    b"",
    b"\xff\xfe is not UTF-8",
    b"Tom Hill met Sara Lee in Rome.",
]


def write_corpus(folder: Path) -> dict[str, Path]:
    """The corpus's files in `folder`: JSON lines, text, the text gzip'ed, a one-document file."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "jsonl": folder / "inputs.jsonl",
        "text": folder / "notes.txt",
        "gz": folder / "notes.txt.gz",
        "file": folder / "letter.txt",
    }
    files["jsonl"].write_text("\n".join(JSON_LINES) + "\n", encoding="utf-8")
    files["text"].write_bytes(b"\n".join(TEXT_LINES) + b"\n")
    files["gz"].write_bytes(gzip.compress(files["text"].read_bytes()))
    files["file"].write_text("Dear Ann,\nI met Bob Stone at Acme. He works in Oslo.\n", "utf-8")
    return files


@pytest.fixture
def corpus(tmp_path) -> dict[str, Path]:
    return write_corpus(tmp_path / "corpus")


def read_output(folder: Path) -> list[dict]:
    """Every record of an output folder, shard after shard, as the manifest lists them."""
    manifest = json.loads((folder / "manifest.json").read_text())
    records = []
    for shard in manifest["shards"]:
        path = folder / shard["file"]
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        records += [json.loads(line) for line in data.decode("utf-8").splitlines()]
    return records


def extract(archive: Path, inputs: list[Path], output: Path, *options: str) -> int:
    """`python -m stsn_allennlp.extract` run in this process, without a progress bar."""
    arguments = [str(archive), *map(str, inputs), "-o", str(output), "--no-progress"]
    return main([*arguments, *options])
