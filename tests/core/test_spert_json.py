import json
import logging

import pytest

from stsn_allennlp.core.sentence import DataFormatError
from stsn_allennlp.core.spert_json import read_spert
from tests import FIXTURE_DATA


def test_reads_the_fixture():
    sentences = read_spert(FIXTURE_DATA / "spert_train.json")
    first = sentences[0]
    assert first.tokens[:2] == ["John", "Smith"]
    assert first.entities[0] == (0, 2, "Peop")
    assert first.relations == [(0, 1, "Work_For"), (1, 2, "OrgBased_In")]
    assert first.metadata == {
        "source": str(FIXTURE_DATA / "spert_train.json"),
        "record": 0,
        "orig_id": "train-0",
    }


def good_record(**changes):
    record = {
        "tokens": ["Mary", "lives", "in", "Paris", "."],
        "entities": [{"type": "Peop", "start": 0, "end": 1}, {"type": "Loc", "start": 3, "end": 4}],
        "relations": [{"type": "Live_In", "head": 0, "tail": 1}],
        "orig_id": "x-1",
    }
    record.update(changes)
    return record


def with_second_entity(start, end, type_="Loc"):
    first = {"type": "Peop", "start": 0, "end": 1}
    return good_record(entities=[first, {"type": type_, "start": start, "end": end}])


BAD_RECORDS = {
    "not an object": (["tokens"], "the record must be of type dict"),
    "no tokens field": ({"entities": [], "relations": []}, "lacks the field 'tokens'"),
    "no relations field": ({"tokens": ["a"], "entities": []}, "lacks the field 'relations'"),
    "empty sentence": (good_record(tokens=[], entities=[], relations=[]), "no tokens"),
    "token not a string": (good_record(tokens=["Mary", 3, "in", "Paris", "."]), "token 1 must be"),
    "end equals start": (with_second_entity(3, 3), "entity 1 spans \\[3, 3\\)"),
    "end before start": (with_second_entity(3, 2), "entity 1 spans"),
    "end beyond sentence": (with_second_entity(3, 6), "beyond the sentence"),
    "negative start": (with_second_entity(-1, 1), "entity 1 spans"),
    "start is a string": (with_second_entity("0", 1), "'start' must be of type int"),
    "end is a bool": (with_second_entity(0, True), "'end' must be of type int"),
    "entity not an object": (good_record(entities=[[0, 1, "Loc"]]), "entity 0 must be of type"),
    "entity without type": (good_record(entities=[{"start": 0, "end": 1}]), "lacks the field"),
    "type with separator": (with_second_entity(3, 4, "A/B"), "must not contain '/'"),
    "entities not a list": (good_record(entities={}), "'entities' must be of type list"),
    "relation to missing entity": (
        good_record(relations=[{"type": "Live_In", "head": 0, "tail": 2}]),
        "relation 0 has tail 2, but the sentence holds 2 entities",
    ),
    "relation head is a float": (
        good_record(relations=[{"type": "Live_In", "head": 0.0, "tail": 1}]),
        "'head' must be of type int",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_RECORDS))
def test_bad_records_name_the_file_and_the_record(tmp_path, case):
    record, problem = BAD_RECORDS[case]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([good_record(), record]))
    with pytest.raises(DataFormatError, match=problem) as info:
        read_spert(path)
    assert str(info.value).startswith(f"{path}, record 1")
    assert info.value.source == str(path)


def test_malformed_json_names_the_file_and_the_position(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"tokens": ["a"],\n "entities": [}]')
    with pytest.raises(DataFormatError, match=r"bad.json, line 2 column \d+: malformed JSON"):
        read_spert(path)


def test_a_top_level_object_is_rejected(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(good_record()))
    with pytest.raises(DataFormatError, match="expected a JSON list of sentences, got dict"):
        read_spert(path)


def test_bytes_that_are_not_utf8_name_the_file_and_the_line(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('[\n{"tokens": ["Zoë"], "entities": [], "relations": []}\n]'.encode("latin-1"))
    with pytest.raises(DataFormatError, match=r"latin1.json, line 2, byte offset 17: not UTF-8"):
        read_spert(path)


@pytest.mark.parametrize(
    "text", ["", " \n\n", "[]", "[\n]\n"], ids=["empty", "blank", "[]", "[\\n]"]
)
def test_a_file_without_records_is_an_error_naming_the_file(tmp_path, text):
    path = tmp_path / "empty.json"
    path.write_text(text)
    problem = (
        f"{path}, top level: the file is empty \\(no records\\): expected a JSON list of SpERT"
    )
    with pytest.raises(DataFormatError, match=problem):
        read_spert(path)


def test_a_repeated_entity_is_read_once_with_its_relations_moved_and_one_warning(tmp_path, caplog):
    peop, loc = {"type": "Peop", "start": 0, "end": 1}, {"type": "Loc", "start": 3, "end": 4}
    live_in = {"type": "Live_In", "head": 0, "tail": 1}
    repeated = good_record(
        entities=[peop, loc, dict(peop), {"type": "Org", "start": 0, "end": 1}],
        relations=[
            {"type": "Live_In", "head": 2, "tail": 1},
            live_in,
            {"type": "Kill", "head": 2, "tail": 3},
        ],
    )
    path = tmp_path / "dup.json"
    path.write_text(json.dumps([good_record(), repeated]))
    with caplog.at_level(logging.WARNING):
        first, second = read_spert(path)
    assert second.entities == [(0, 1, "Peop"), (3, 4, "Loc"), (0, 1, "Org")]
    assert second.relations == [(0, 1, "Live_In"), (0, 2, "Kill")]
    assert first.entities == [(0, 1, "Peop"), (3, 4, "Loc")]
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert message.startswith(f"{path}, record 1 (orig_id 'x-1'): dropped 1 gold entities")
    assert "entities [2]) and 1 repeated relations" in message
