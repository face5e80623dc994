"""
Converts between SpERT JSON and DyGIE JSON lines (the library of `python -m
stsn_allennlp.data.convert`).

The input is validated as its format (a `DataFormatError` names the bad record; an input without
records, or not UTF-8, is an error too, and nothing is written). SpERT has no
documents: each SpERT sentence becomes a one-sentence DyGIE document keyed by its `orig_id`, and
each DyGIE sentence a SpERT record whose `orig_id` is the `doc_key` (plus `#` and the sentence index
in documents of several sentences). SpERT -> DyGIE -> SpERT therefore gives back the same records;
keys other than tokens, entities, relations and `orig_id`/`doc_key` are not carried over.
"""

from pathlib import Path

from stsn_allennlp.core.dygie_json import read_dygie, write_dygie
from stsn_allennlp.core.spert_json import read_spert, write_spert

FORMATS = ("spert", "dygie")


def convert(input_path: str | Path, output_path: str | Path, to: str) -> int:
    """
    Converts a file to the format `to` from the other one.

    # Parameters

    input_path : `Union[str, Path]`
        A DyGIE JSON-lines file if `to` is `"spert"`, a SpERT JSON file if `to` is `"dygie"`.
    output_path : `Union[str, Path]`
        The file to write.
    to : `str`
        `"spert"` or `"dygie"`.

    # Returns

    `int`
        The number of sentences converted.
    """
    if to == "spert":
        sentences = list(read_dygie(input_path))
        write_spert(sentences, output_path)
    elif to == "dygie":
        sentences = read_spert(input_path)
        write_dygie(sentences, output_path)
    else:
        raise ValueError(f"unknown format {to!r}; expected one of {FORMATS}")
    return len(sentences)
