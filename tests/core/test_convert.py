"""SpERT JSON <-> DyGIE JSON lines: exact round trips, and the command's errors."""

import json

import pytest

from stsn_allennlp.commands.convert import main
from stsn_allennlp.core.convert import convert
from stsn_allennlp.core.dygie_json import read_dygie
from stsn_allennlp.core.sentence import DataFormatError
from tests import FIXTURE_DATA, SHARED_DATA

BENCHMARKS = [SHARED_DATA / "conll04" / "conll04_dev.json", SHARED_DATA / "ade" / "ade_full.json"]


def round_trip(source, tmp_path):
    convert(source, tmp_path / "mid.jsonl", to="dygie")
    convert(tmp_path / "mid.jsonl", tmp_path / "back.json", to="spert")
    return json.loads((tmp_path / "back.json").read_text())


def test_spert_dygie_spert_is_exact_on_the_fixture(tmp_path):
    original = json.loads((FIXTURE_DATA / "spert_train.json").read_text())
    assert round_trip(FIXTURE_DATA / "spert_train.json", tmp_path) == original
    first = json.loads((tmp_path / "mid.jsonl").read_text().splitlines()[0])
    assert first["doc_key"] == "train-0"
    assert first["ner"] == [[[0, 1, "Peop"], [4, 5, "Org"], [7, 7, "Loc"]]]
    assert first["relations"] == [[[0, 1, 4, 5, "Work_For"], [4, 5, 7, 7, "OrgBased_In"]]]


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda path: path.name)
def test_spert_dygie_spert_is_exact_on_benchmarks(tmp_path, path):
    if not path.exists():
        pytest.skip(f"benchmark data absent: {path}")
    assert round_trip(path, tmp_path) == json.loads(path.read_text())


def test_dygie_to_spert_names_records_by_document_and_sentence(tmp_path):
    count = convert(FIXTURE_DATA / "dygie_train.jsonl", tmp_path / "out.json", to="spert")
    records = json.loads((tmp_path / "out.json").read_text())
    assert count == len(records) == 5
    assert [record["orig_id"] for record in records] == [
        "doc-0#0",
        "doc-0#1",
        "doc-0#2",
        "doc-1#0",
        "doc-1#1",
    ]
    assert records[2]["entities"][0] == {"type": "PER", "start": 0, "end": 4}
    assert records[2]["relations"][1] == {"type": "PER-SOC", "head": 0, "tail": 2}


def test_dygie_spert_dygie_keeps_sentences_entities_and_relations(tmp_path):
    convert(FIXTURE_DATA / "dygie_train.jsonl", tmp_path / "mid.json", to="spert")
    convert(tmp_path / "mid.json", tmp_path / "back.jsonl", to="dygie")
    original = list(read_dygie(FIXTURE_DATA / "dygie_train.jsonl"))
    back = list(read_dygie(tmp_path / "back.jsonl"))
    assert [(s.tokens, s.entities, s.relations) for s in back] == [
        (s.tokens, s.entities, s.relations) for s in original
    ]


def test_a_relation_dygie_cannot_name_is_an_error_not_a_silent_change(tmp_path):
    source = tmp_path / "in.json"
    source.write_text(
        json.dumps(
            [
                {
                    "tokens": ["Paris", "is", "nice"],
                    "entities": [
                        {"type": "Loc", "start": 0, "end": 1},
                        {"type": "Org", "start": 0, "end": 1},
                        {"type": "Loc", "start": 2, "end": 3},
                    ],
                    "relations": [{"type": "R", "head": 1, "tail": 2}],
                    "orig_id": 7,
                }
            ]
        )
    )
    with pytest.raises(DataFormatError, match=r"record 0 .*relation 0: its head, entity 1, shares"):
        convert(source, tmp_path / "out.jsonl", to="dygie")


def test_command_reports_bad_input_without_a_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("[")
    assert main(["--to", "dygie", str(bad), str(tmp_path / "out.jsonl")]) == 1
    assert "error: " in capsys.readouterr().err


def test_command_line_converts_and_reports_the_count(tmp_path, capsys):
    output = tmp_path / "out.jsonl"
    assert main(["--to", "dygie", str(FIXTURE_DATA / "spert_dev.json"), str(output)]) == 0
    records = json.loads((FIXTURE_DATA / "spert_dev.json").read_text())
    assert f"converted {len(records)} sentences" in capsys.readouterr().out
    assert len(list(read_dygie(output))) == len(records)


LATIN_1_INPUTS = {
    # to: (input text, the line of its 'ë')
    "spert": ('{"doc_key": "d", "sentences": [["Zoë"]], "ner": [[]]}\n', 1),
    "dygie": ('[\n{"tokens": ["Zoë"], "entities": [], "relations": []}\n]\n', 2),
}


@pytest.mark.parametrize("to", sorted(LATIN_1_INPUTS))
def test_command_names_the_file_and_the_line_of_bytes_that_are_not_utf8(tmp_path, capsys, to):
    text, line = LATIN_1_INPUTS[to]
    source = tmp_path / "latin1.json"
    source.write_bytes(text.encode("latin-1"))
    assert main(["--to", to, str(source), str(tmp_path / "out")]) == 1
    assert f"error: {source}, line {line}, byte offset" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("to, text", [("spert", ""), ("spert", "\n"), ("dygie", "[]\n")])
def test_command_refuses_an_input_without_records_and_writes_nothing(tmp_path, capsys, to, text):
    source = tmp_path / "empty.json"
    source.write_text(text)
    assert main(["--to", to, str(source), str(tmp_path / "out")]) == 1
    assert f"error: {source}, top level: the file is empty (no records)" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
