import json

import pytest
import torch
from allennlp.common.testing import ModelTestCase
from allennlp.common import Params
from allennlp.data import Batch, DatasetReader, Vocabulary
from allennlp.models import Model
from allennlp.commands.train import train_model_from_file

from stsn_allennlp.models import Stsn
from stsn_allennlp.models.inference import PredictedEntities, candidate_pairs
from tests import FIXTURE_DATA, FIXTURES

CONFIG = FIXTURES / "stsn_fixture.jsonnet"
TRAIN = FIXTURE_DATA / "spert_train.json"
SHORT_RUN = json.dumps({"trainer.num_epochs": 2})


class TestStsn(ModelTestCase):
    def setup_method(self):
        super().setup_method()
        self.set_up_model(CONFIG, TRAIN)

    def test_model_can_train_save_and_load(self):
        self.ensure_model_can_train_save_and_load(CONFIG, overrides=SHORT_RUN)

    def test_batch_predictions_are_consistent(self):
        self.ensure_batch_predictions_are_consistent(keys_to_ignore=("entities", "relations"))
        self.model.eval()
        single = [self._forward([instance]) for instance in self.instances]
        batched = self._forward(self.instances)
        for index, output in enumerate(single):
            for key in ("entities", "relations"):
                alone, together = output[key][0], batched[key][index]
                assert [item[:3] for item in alone] == [item[:3] for item in together]
                assert [item[3] for item in alone] == pytest.approx([item[3] for item in together], abs=1e-5)

    def _forward(self, instances):
        batch = Batch(instances)
        batch.index_instances(self.vocab)
        with torch.no_grad():
            return self.model(**batch.as_tensor_dict())

    def test_human_readable_output_has_entities_and_relations_per_sentence(self):
        self.model.eval()
        output = self.model.forward_on_instances(self.instances[:2])
        for sentence in output:
            assert set(sentence) >= {"tokens", "entities", "relations"}
            for entity in sentence["entities"]:
                assert set(entity) == {"type", "start", "end", "text", "score"}
                assert entity["text"] == " ".join(sentence["tokens"][entity["start"]:entity["end"]])
            for relation in sentence["relations"]:
                assert set(relation) == {"type", "head", "tail", "score"}
                assert relation["head"] != relation["tail"]
                assert 0 <= relation["head"] < len(sentence["entities"])

    def test_relation_pairs_are_scored_in_bounded_chunks(self):
        self.model.eval()
        full = self._forward(self.instances)
        self.model._max_pairs_per_chunk = 1
        chunked = self._forward(self.instances)
        for key in ("entities", "relations"):
            assert [[item[:3] for item in s] for s in full[key]] == [[item[:3] for item in s] for s in chunked[key]]


@pytest.mark.parametrize(
    "ablation",
    [
        {"model.use_label_embedding": False},
        {"model.encoder.use_entity_relation_to_label_attention": False},
        {"model.encoder.num_layers": 0},
        {"model.encoder.num_layers": 3},
    ],
    ids=["no-label-embedding", "no-ER-L-A", "no-attention-layers", "three-layers"],
)
def test_each_ablation_builds_and_trains(ablation, tmp_path):
    overrides = json.dumps({"trainer.num_epochs": 1, **ablation})
    model = train_model_from_file(CONFIG, tmp_path, overrides=overrides)
    assert isinstance(model, Stsn)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["training_loss"] > 0
    encoder = model._encoder
    if "model.encoder.num_layers" in ablation:
        assert len(encoder._stack.layers) == ablation["model.encoder.num_layers"]
    if ablation.get("model.use_label_embedding") is False:
        assert model._label_embedding is None


def test_stsn_fits_the_fixture_set_perfectly(tmp_path):
    """Evidence that gradients reach every head: perfect NER, RE and RE+ on the training data."""
    overrides = json.dumps(
        {
            "validation_data_path": str(TRAIN),
            "trainer.num_epochs": 40,
            "trainer.learning_rate_scheduler": None,
            "model.dropout": 0.0,
        }
    )
    train_model_from_file(CONFIG, tmp_path, overrides=overrides)
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    for key in ("ner_f1_micro", "re_f1_micro", "re_plus_f1_micro"):
        assert metrics[f"validation_{key}"] == 100.0, key


def _model_calling_every_span_an_entity():
    """An untrained model whose span classifier calls every candidate span a `Peop`."""
    params = Params.from_file(CONFIG)
    reader = DatasetReader.from_params(params["validation_dataset_reader"])
    vocab = Vocabulary.from_instances(DatasetReader.from_params(params["dataset_reader"]).read(TRAIN))
    model = Model.from_params(vocab=vocab, params=params["model"]).eval()
    with torch.no_grad():
        model._span_classifier.weight.zero_()
        model._span_classifier.bias.fill_(-10.0)
        model._span_classifier.bias[vocab.get_token_index("Peop", "entity_labels")] = 10.0
    return model, reader


def _predict_words(model, reader, words):
    instance = reader.text_to_instance(words)
    reader.apply_token_indexers(instance)
    return model.forward_on_instance(instance)


def test_entities_come_in_text_order():
    model, reader = _model_calling_every_span_an_entity()
    entities = _predict_words(model, reader, ["John", "Smith", "works", "in", "Boston"])["entities"]
    positions = [(entity["start"], entity["end"]) for entity in entities]
    assert len(positions) >= 5 and positions == sorted(positions)


def test_entities_and_relations_per_sentence_are_capped_with_a_warning(caplog):
    model, reader = _model_calling_every_span_an_entity()
    with torch.no_grad():  # every pair related with every type
        model._relation_classifier.weight.zero_()
        model._relation_classifier.bias.fill_(10.0)
    words = ["John", "Smith", "works", "in", "Boston"]
    with caplog.at_level("WARNING", logger="stsn_allennlp.models.stsn"):
        output = _predict_words(model, reader, words)
    # 15 candidate spans, 2.0 entities and 2.0 relations per word (the defaults) x 5 words
    assert len(output["entities"]) == 10
    assert len(output["relations"]) == 10
    assert "max_entities_per_word" in caplog.text and "max_relations_per_word" in caplog.text
    best = max(entity["score"] for entity in output["entities"])
    assert all(relation["score"] > 0.99 for relation in output["relations"]) and best > 0.99


def test_a_sampled_sentence_without_entities_or_negatives_trains():
    reader = DatasetReader.from_params(
        Params.from_file(CONFIG)["dataset_reader"], negative_spans=0
    )
    instances = list(reader.read(TRAIN))
    for instance in instances:
        reader.apply_token_indexers(instance)
    vocab = Vocabulary.from_instances(instances)
    model = Model.from_params(vocab=vocab, params=Params.from_file(CONFIG)["model"])
    batch = Batch(instances)
    batch.index_instances(vocab)
    output = model(**batch.as_tensor_dict())
    output["loss"].backward()
    assert torch.isfinite(output["loss"])


def test_inference_relation_scores_equal_the_training_path():
    """At inference the relation classifier is split into head, tail and context parts; the scores
    must be those of the per-pair classifier that training uses."""
    model, reader = _model_calling_every_span_an_entity()
    torch.manual_seed(0)
    with torch.no_grad():
        model._relation_classifier.weight.normal_()
        model._relation_classifier.bias.zero_()
    states = torch.randn(2, 6, _state_dim(model))
    entities = PredictedEntities(
        torch.tensor([0, 0, 0, 1, 1]), torch.tensor([0, 2, 4, 0, 3]), torch.tensor([1, 3, 5, 0, 5]),
        torch.zeros(5, dtype=torch.long), torch.ones(5),
    )
    pair_batch, heads, tails = candidate_pairs(entities.batch, 2)
    spans = entities.spans()
    with torch.no_grad():
        expected = torch.sigmoid(model._relation_logits(states, pair_batch, spans[heads], spans[tails]))
        model._relation_threshold = 0.0
        selected, dropped = model._select_relations(
            states, entities, pair_batch, heads, tails, torch.tensor([1000, 1000])
        )
    assert dropped == 0 and selected.pairs.numel() == expected.numel()
    assert torch.allclose(selected.scores, expected[selected.pairs, selected.types], atol=1e-5)
    assert expected.std() > 0.05  # the scores differ between pairs, so the comparison means something


def _state_dim(model):
    """The size of [H_R; H_L']: the relation classifier reads 2 spans of 2 states and a width
    embedding each, and one context state."""
    width_dim = model._span_representation.width_embedding.embedding_dim
    return (model._relation_classifier.in_features - 2 * width_dim) // 5
