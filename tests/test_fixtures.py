import json

from transformers import AutoModel, AutoTokenizer

from tests import FIXTURE_DATA, TINY_BERT


def test_tiny_bert_loads_offline_with_slow_and_fast_tokenizers():
    model = AutoModel.from_pretrained(str(TINY_BERT))
    assert model.config.hidden_size == 32
    for use_fast in (False, True):
        tokenizer = AutoTokenizer.from_pretrained(str(TINY_BERT), use_fast=use_fast)
        pieces = tokenizer.tokenize("Acme Corp hired Zebulon")
        assert "[UNK]" not in pieces
        assert pieces[:2] == ["Acme", "Corp"]


def test_tiny_bert_is_small():
    total = sum(path.stat().st_size for path in TINY_BERT.iterdir())
    assert total < 1_000_000


def test_spert_fixtures_cover_overlap_relation_free_and_multi_relation_sentences():
    sentences = json.loads((FIXTURE_DATA / "spert_train.json").read_text())
    assert any(not s["relations"] for s in sentences)
    assert any(len(s["relations"]) >= 2 for s in sentences)

    def has_overlap(entities):
        return any(
            a is not b and a["start"] < b["end"] and b["start"] < a["end"]
            for a in entities
            for b in entities
        )

    assert any(has_overlap(s["entities"]) for s in sentences)
