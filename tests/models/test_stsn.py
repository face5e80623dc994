import json

import pytest
import torch
from allennlp.commands.train import train_model_from_file
from allennlp.common import Params
from allennlp.common.checks import ConfigurationError
from allennlp.common.testing import ModelTestCase
from allennlp.data import Batch, DatasetReader, Vocabulary
from allennlp.models import Model, load_archive

from stsn_allennlp.models.fixed_decisions import FixedDecisionDecoder
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
        _predict_eagerly(self.model)
        single = [self._forward([instance]) for instance in self.instances]
        batched = self._forward(self.instances)
        _assert_something_predicted(batched)
        for index, output in enumerate(single):
            for key in ("entities", "relations"):
                alone, together = output[key][0], batched[key][index]
                assert [item[:3] for item in alone] == [item[:3] for item in together]
                assert [item[3] for item in alone] == pytest.approx(
                    [item[3] for item in together], abs=1e-5
                )

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
                assert entity["text"] == " ".join(
                    sentence["tokens"][entity["start"] : entity["end"]]
                )
            for relation in sentence["relations"]:
                assert set(relation) == {"type", "head", "tail", "score"}
                assert relation["head"] != relation["tail"]
                assert 0 <= relation["head"] < len(sentence["entities"])

    def test_relation_pairs_are_scored_in_bounded_chunks(self):
        self.model.eval()
        _predict_eagerly(self.model)
        full = self._forward(self.instances)
        _assert_something_predicted(full)
        state = self.model.state_dict()
        params = Params.from_file(CONFIG)["model"]
        params["max_pairs_per_chunk"] = 1
        self.model = Model.from_params(vocab=self.vocab, params=params).eval()
        self.model.load_state_dict(state)
        _predict_eagerly(self.model)
        chunked = self._forward(self.instances)
        for key in ("entities", "relations"):
            assert [[item[:3] for item in s] for s in full[key]] == [
                [item[:3] for item in s] for s in chunked[key]
            ]


def _predict_eagerly(model):
    """
    Makes an untrained model predict entities and relations while its scores still depend on the
    input: `NoneEntity` loses 5 in logit, relation probabilities are raised to the power 0.1.
    """
    none_index = model.vocab.get_token_index("NoneEntity", "entity_labels")

    def entities(spans, logits):
        shifted = logits.clone()
        shifted[:, none_index] -= 5.0
        return shifted

    model.decoder = FixedDecisionDecoder(
        model.decoder, entities=entities, relations=lambda probabilities: probabilities**0.1
    )


def _assert_something_predicted(output):
    assert any(output["entities"]) and any(output["relations"]), (
        "nothing predicted: the comparison is vacuous"
    )


def _fixture_model(**overrides):
    """A fresh model of the fixture config (with `overrides` of its `model` section) and the
    indexed fixture training instances."""
    params = Params.from_file(
        CONFIG, params_overrides=json.dumps({f"model.{k}": v for k, v in overrides.items()})
    )
    reader = DatasetReader.from_params(params["dataset_reader"])
    instances = list(reader.read(TRAIN))
    for instance in instances:
        reader.apply_token_indexers(instance)
    vocab = Vocabulary.from_instances(instances)
    return Model.from_params(vocab=vocab, params=params["model"]), instances


@pytest.mark.parametrize(
    "ablation",
    [
        {"use_label_embedding": False},
        {"encoder.use_entity_relation_to_label_attention": False},
        {"encoder.num_layers": 0},
        {"encoder.num_layers": 3},
        {"distance_embedding_dim": 4},
        {"pool_span_inside": True},
    ],
    ids=[
        "no-label-embedding",
        "no-ER-L-A",
        "no-attention-layers",
        "three-layers",
        "distance-embedding",
        "span-max-pool",
    ],
)
def test_each_ablation_builds_and_backpropagates(ablation):
    model, instances = _fixture_model(**ablation)
    batch = Batch(instances)
    batch.index_instances(model.vocab)
    loss = model(**batch.as_tensor_dict())["loss"]
    loss.backward()
    assert loss > 0
    assert model.encoder.num_layers == ablation.get("encoder.num_layers", 2)
    assert model.label_embedding_dim == (0 if "use_label_embedding" in ablation else 16)
    uses_erla = "encoder.use_entity_relation_to_label_attention" not in ablation
    assert model.encoder.uses_entity_relation_to_label_attention == uses_erla
    untouched = [
        name
        for name, parameter in model.named_parameters()
        if parameter.requires_grad and parameter.grad is None
    ]
    assert untouched == [], "parameters the loss does not reach"


def test_an_encoder_without_the_three_streams_is_refused_at_construction():
    params = Params.from_file(CONFIG)["model"]
    params["encoder"] = {"type": "pass_through", "input_dim": 32}
    with pytest.raises(ConfigurationError, match=r"stacked_label_attention.*PassThroughEncoder"):
        Model.from_params(vocab=Vocabulary(), params=params)


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


def _model_calling_every_span_an_entity(relations=None):
    """An untrained model whose decisions call every candidate span a `Peop` (and decide
    relations by `relations`, see `FixedDecisionDecoder`)."""
    params = Params.from_file(CONFIG)
    reader = DatasetReader.from_params(params["validation_dataset_reader"])
    vocab = Vocabulary.from_instances(
        DatasetReader.from_params(params["dataset_reader"]).read(TRAIN)
    )
    model = Model.from_params(vocab=vocab, params=params["model"]).eval()
    model.decoder = FixedDecisionDecoder(
        model.decoder, entities=_every_span_a_person(vocab), relations=relations
    )
    return model, reader


def _every_span_a_person(vocab):
    """An entity decision (`FixedDecisionDecoder`) calling every candidate span a `Peop`."""
    person = vocab.get_token_index("Peop", "entity_labels")

    def decide(spans, logits):
        forced = torch.full_like(logits, -10.0)
        forced[:, person] = 10.0
        return forced

    return decide


def _predict_words(model, reader, words):
    instance = reader.text_to_instance(words)
    reader.apply_token_indexers(instance)
    return model.forward_on_instance(instance)


def test_entities_come_in_text_order():
    model, reader = _model_calling_every_span_an_entity()
    entities = _predict_words(model, reader, ["John", "Smith", "works", "in", "Boston"])["entities"]
    positions = [(entity["start"], entity["end"]) for entity in entities]
    assert len(positions) >= 5 and positions == sorted(positions)


def test_fixed_decisions_keep_the_model_s_policy_and_its_own_decoder_restores_its_own():
    model, _ = _fixture_model(max_entities_per_word=1.0)
    model.eval()
    reader = DatasetReader.from_params(Params.from_file(CONFIG)["validation_dataset_reader"])
    words = ["John", "Smith", "works", "in", "Boston"]
    own_decoder = model.decoder
    own = _predict_words(model, reader, words)
    model.decoder = FixedDecisionDecoder(own_decoder, entities=_every_span_a_person(model.vocab))
    forced = _predict_words(model, reader, words)
    # 15 candidate spans, all entities, capped at 1.0 per word: the policy of the model's config
    assert [entity["type"] for entity in forced["entities"]] == ["Peop"] * 5
    model.decoder = own_decoder
    assert _predict_words(model, reader, words) == own != forced


def test_entities_and_relations_per_sentence_are_capped_with_a_warning(caplog):
    # every pair related with every type
    model, reader = _model_calling_every_span_an_entity(relations=torch.ones_like)
    words = ["John", "Smith", "works", "in", "Boston"]
    with caplog.at_level("WARNING", logger="stsn_allennlp.models.decoder"):
        output = _predict_words(model, reader, words)
    # 15 candidate spans, 2.0 entities and 2.0 relations per word (the defaults) x 5 words
    assert len(output["entities"]) == 10
    assert len(output["relations"]) == 10
    assert "max_entities_per_word" in caplog.text and "max_relations_per_word" in caplog.text
    best = max(entity["score"] for entity in output["entities"])
    assert all(relation["score"] > 0.99 for relation in output["relations"]) and best > 0.99


def test_a_sampled_sentence_without_entities_or_negatives_trains():
    reader = DatasetReader.from_params(Params.from_file(CONFIG)["dataset_reader"], negative_spans=0)
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


def _gold_argument_types(instances) -> set[tuple[str, str, str]]:
    """(relation type, head type, tail type) of every gold relation of `instances`."""
    argument_types = set()
    for instance in instances:
        metadata = instance["metadata"].metadata
        entities = metadata["gold_entities"]
        for head, tail, label in metadata["gold_relations"]:
            argument_types.add((label, entities[head][2], entities[tail][2]))
    return argument_types


def _counted_argument_types(model) -> set[tuple[str, str, str]]:
    entity_labels = model.vocab.get_index_to_token_vocabulary("entity_labels")
    relation_labels = model.vocab.get_index_to_token_vocabulary("relation_labels")
    counts = model.argument_type_counts
    return {
        (relation_labels[label], entity_labels[head], entity_labels[tail])
        for label, head, tail in counts.nonzero().tolist()
    }


def _predicted_argument_types(output) -> set[tuple[str, str, str]]:
    entities = output["entities"]
    return {
        (relation["type"], entities[relation["head"]]["type"], entities[relation["tail"]]["type"])
        for relation in output["relations"]
    }


def _people_and_organisations(vocab):
    """An entity decision calling the candidate spans that start on an even word `Peop`, the
    others `Org`."""
    person = vocab.get_token_index("Peop", "entity_labels")
    organisation = vocab.get_token_index("Org", "entity_labels")

    def decide(spans, logits):
        forced = torch.full_like(logits, -10.0)
        forced[spans.starts % 2 == 0, person] = 10.0
        forced[spans.starts % 2 == 1, organisation] = 10.0
        return forced

    return decide


def test_training_counts_the_argument_types_of_the_gold_relations():
    model, instances = _fixture_model()
    batch = Batch(instances)
    batch.index_instances(model.vocab)
    model.train()
    model(**batch.as_tensor_dict())
    assert _counted_argument_types(model) == _gold_argument_types(instances)


def test_restricted_relations_join_only_the_argument_types_trained_on(caplog):
    model, instances = _fixture_model(restrict_argument_types=True)
    reader = DatasetReader.from_params(Params.from_file(CONFIG)["validation_dataset_reader"])
    words = ["John", "Smith", "works", "for", "Acme", "in", "Boston"]
    model.decoder = FixedDecisionDecoder(
        model.decoder, entities=_people_and_organisations(model.vocab), relations=torch.ones_like
    )
    model.eval()
    with caplog.at_level("WARNING", logger="stsn_allennlp.models.stsn"):
        uncounted = _predicted_argument_types(_predict_words(model, reader, words))
    assert "counted no argument types" in caplog.text
    assert len(uncounted) > 1, "nothing to restrict: the comparison is vacuous"
    batch = Batch(instances)
    batch.index_instances(model.vocab)
    model.train()
    model(**batch.as_tensor_dict())
    model.eval()
    # of the fixture's argument types, people and organisations meet only in Work_For
    assert _predicted_argument_types(_predict_words(model, reader, words)) == {
        ("Work_For", "Peop", "Org")
    }
    model.restrict_argument_types = False
    assert _predicted_argument_types(_predict_words(model, reader, words)) == uncounted


def test_the_counts_are_archived_and_weights_without_them_still_load(tmp_path):
    train_model_from_file(CONFIG, tmp_path, overrides=SHORT_RUN)
    archived = load_archive(tmp_path / "model.tar.gz").model
    reader = DatasetReader.from_params(Params.from_file(CONFIG)["dataset_reader"])
    assert _counted_argument_types(archived) == _gold_argument_types(reader.read(TRAIN))
    weights = torch.load(tmp_path / "best.th")
    del weights["_argument_type_counts"]
    torch.save(weights, tmp_path / "before_counts.th")
    config = Params.from_file(tmp_path / "config.json")
    loaded = Model.load(config, tmp_path, weights_file=tmp_path / "before_counts.th")
    assert not loaded.argument_type_counts.any()
