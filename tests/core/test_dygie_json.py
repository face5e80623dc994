import json
import logging

import pytest

from stsn_allennlp.core.dygie_json import read_dygie
from stsn_allennlp.core.sentence import DataFormatError
from tests import FIXTURE_DATA


def test_documents_split_into_sentences_with_sentence_level_exclusive_offsets():
    sentences = list(read_dygie(FIXTURE_DATA / "dygie_train.jsonl"))
    assert len(sentences) == 5
    third = sentences[2]
    assert third.tokens[:4] == ["The", "president", "of", "France"]
    # Document offsets [14, 17], [17, 17], [19, 20], [22, 22]; the sentence starts at token 14.
    assert third.entities == [(0, 4, "PER"), (3, 4, "GPE"), (5, 7, "PER"), (8, 9, "GPE")]
    assert third.relations == [(0, 1, "ORG-AFF"), (0, 2, "PER-SOC"), (2, 3, "PHYS")]
    assert third.metadata == {
        "source": str(FIXTURE_DATA / "dygie_train.jsonl"),
        "record": 1,
        "doc_key": "doc-0",
        "sentence_index": 2,
    }
    assert sentences[1].entities == [] and sentences[1].relations == []
    assert sentences[3].metadata["record"] == 2  # the second line


def document(**changes):
    doc = {
        "doc_key": "d1",
        "sentences": [["Mary", "lives", "in", "Paris", "."], ["She", "left", "."]],
        "ner": [[[0, 0, "PER"], [3, 3, "GPE"]], [[5, 5, "PER"]]],
        "relations": [[[0, 0, 3, 3, "PHYS"]], []],
        "clusters": [[[0, 0], [5, 5]]],
    }
    doc.update(changes)
    return doc


def test_relations_may_be_absent_and_other_keys_are_ignored(tmp_path):
    doc = document()
    del doc["relations"]
    path = tmp_path / "ok.jsonl"
    path.write_text(json.dumps(doc) + "\n\n")
    sentences = list(read_dygie(path))
    assert [s.relations for s in sentences] == [[], []]
    assert sentences[1].entities == [(0, 1, "PER")]


BAD_DOCUMENTS = {
    "not an object": (["d1"], "line 2", "the document must be of type dict"),
    "no doc_key": ({"sentences": []}, "line 2", "lacks the field 'doc_key'"),
    "no ner": (document(ner=None), "line 2 \\(doc_key 'd1'\\)", "'ner' must be of type list"),
    "ner not aligned": (document(ner=[[]]), "doc_key 'd1'", "holds 1 lists for 2 sentences"),
    "relations not aligned": (document(relations=[[], [], []]), "d1", "holds 3 lists for 2"),
    "empty sentence": (
        document(sentences=[["Mary"], []], ner=[[], []], relations=[[], []]),
        "sentence 1",
        "no tokens",
    ),
    "token not a string": (document(sentences=[["Mary", None], ["x"]]), "sentence 0", "token 1"),
    "end before start": (
        document(ner=[[[3, 2, "GPE"]], []], relations=[[], []]),
        "sentence 0",
        "ner\\[0\\] = \\[3, 2, 'GPE'\\]: the span .* reversed or beyond",
    ),
    "span beyond the sentence": (
        document(ner=[[[3, 5, "GPE"]], []], relations=[[], []]),
        "sentence 0",
        "beyond the sentence's tokens 0..4",
    ),
    "span before the sentence": (
        document(ner=[[], [[4, 5, "PER"]]], relations=[[], []]),
        "sentence 1",
        "tokens 5..7",
    ),
    "ner entry too short": (document(ner=[[[0, 0]], []]), "sentence 0", "must hold 3 values"),
    "ner label not a string": (
        document(ner=[[[0, 0, 7]], []]),
        "sentence 0",
        "ner\\[0\\]\\[2\\] must be",
    ),
    "relation argument not an entity": (
        document(relations=[[[0, 0, 2, 3, "PHYS"]], []]),
        "sentence 0",
        "its tail \\[2, 3\\] is no entity",
    ),
    "relation across sentences": (
        document(relations=[[[0, 0, 5, 5, "PER-SOC"]], []]),
        "sentence 0",
        "its tail \\[5, 5\\] is no entity",
    ),
    "relation entry too long": (
        document(relations=[[[0, 0, 3, 3, "PHYS", 0.9]], []]),
        "sentence 0",
        "must hold 5 values",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_documents_name_the_file_line_document_and_sentence(tmp_path, case):
    doc, where, problem = BAD_DOCUMENTS[case]
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(document()) + "\n" + json.dumps(doc) + "\n")
    with pytest.raises(DataFormatError, match=f"^{path}, .*{where}.*: .*{problem}"):
        list(read_dygie(path))


def test_malformed_json_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(document()) + "\n" + '{"doc_key": "d2", "sentences": [\n')
    with pytest.raises(DataFormatError, match=f"^{path}, line 2 column \\d+: malformed JSON"):
        list(read_dygie(path))


def test_bytes_that_are_not_utf8_name_the_file_and_the_line(tmp_path):
    path = tmp_path / "latin1.jsonl"
    doc = document(sentences=[["Zoë", "lives", "in", "Paris", "."], ["She", "left", "."]])
    path.write_bytes(
        (json.dumps(document()) + "\n" + json.dumps(doc, ensure_ascii=False)).encode("latin-1")
    )
    with pytest.raises(DataFormatError, match=r"latin1.jsonl, line 2, byte offset \d+: not UTF-8"):
        list(read_dygie(path))


@pytest.mark.parametrize(
    "text",
    ["", "\n \n", json.dumps({"doc_key": "d", "sentences": [], "ner": []}) + "\n"],
    ids=["empty", "blank", "no-sentences"],
)
def test_a_file_without_sentences_is_an_error_naming_the_file(tmp_path, text):
    path = tmp_path / "empty.jsonl"
    path.write_text(text)
    problem = f"{path}, top level: the file is empty \\(no records\\): expected DyGIE JSON lines"
    with pytest.raises(DataFormatError, match=problem):
        list(read_dygie(path))


def test_a_repeated_entity_is_read_once_and_repeated_relations_collapse(tmp_path, caplog):
    doc = document(
        ner=[[[0, 0, "PER"], [3, 3, "GPE"], [0, 0, "PER"]], [[5, 5, "PER"]]],
        relations=[[[0, 0, 3, 3, "PHYS"], [0, 0, 3, 3, "PHYS"]], []],
    )
    path = tmp_path / "dup.jsonl"
    path.write_text(json.dumps(doc) + "\n")
    with caplog.at_level(logging.WARNING):
        first, second = read_dygie(path)
    assert first.entities == [(0, 1, "PER"), (3, 4, "GPE")]
    assert first.relations == [(0, 1, "PHYS")]
    assert second.entities == [(0, 1, "PER")]
    warnings = [
        record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING
    ]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{path}, line 1 (doc_key 'd1'), sentence 0: dropped 1 gold")
