import pytest

from stsn_allennlp.core.json_lines import decode_utf8, read_json_lines, read_utf8
from stsn_allennlp.core.sentence import DataFormatError

LATIN_1 = '{"a": 1}\n\n{"b": "Zoë"}\n'.encode("latin-1")


def test_bytes_that_are_not_utf8_name_the_file_the_line_and_the_byte_offset(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(LATIN_1)
    offset = LATIN_1.index("ë".encode("latin-1"))
    where = f"{path}, line 3, byte offset {offset}: not UTF-8 text"
    for read in (read_utf8, lambda file: list(read_json_lines(file))):
        with pytest.raises(DataFormatError) as info:
            read(path)
        assert str(info.value).startswith(where)
        assert "invalid continuation byte: byte 0xeb" in info.value.problem


def test_decoding_counts_lines_and_bytes_from_where_the_part_starts():
    with pytest.raises(DataFormatError, match=r"f, line 12, byte offset 104: .*start byte"):
        decode_utf8(b"ok\n\xff", "f", line=11, offset=101)
    assert decode_utf8("Zoë\n".encode(), "f") == "Zoë\n"


def test_json_lines_before_a_bad_byte_are_read(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(LATIN_1)
    lines = read_json_lines(path)
    assert next(lines) == (1, {"a": 1})
    with pytest.raises(DataFormatError, match="line 3"):
        next(lines)
