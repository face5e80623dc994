"""Gold labels unseen in training: indexed as the fallback label, scored as missed, one warning."""

import json

import torch
from allennlp.commands.evaluate import evaluate_from_archive
from allennlp.common import Params
from allennlp.data import Batch, DatasetReader, Vocabulary
from allennlp.models import Model

from stsn_allennlp.data.fields import BIO_NAMESPACE, ENTITY_NAMESPACE
from tests import FIXTURE_DATA, FIXTURES

CONFIG = FIXTURES / "stsn_fixture.jsonnet"
TRAIN = FIXTURE_DATA / "spert_train.json"
FIELDS_LOGGER = "stsn_allennlp.data.fields"


def _write_weapon_file(path):
    """Two sentences with a `Weapon` entity (unseen in the fixture data) and a relation on it."""
    sentence = {
        "tokens": ["John", "Smith", "carried", "a", "rifle", "in", "Boston", "."],
        "entities": [
            {"type": "Peop", "start": 0, "end": 2},
            {"type": "Weapon", "start": 4, "end": 5},
            {"type": "Loc", "start": 6, "end": 7},
        ],
        "relations": [{"type": "Carries", "head": 0, "tail": 1}],
    }
    path.write_text(json.dumps([{**sentence, "orig_id": f"dev-{i}"} for i in range(2)]))
    return path


def _untrained_model_and_reader():
    params = Params.from_file(CONFIG)
    reader = DatasetReader.from_params(params["validation_dataset_reader"])
    training_reader = DatasetReader.from_params(params["dataset_reader"])
    vocab = Vocabulary.from_instances(training_reader.read(TRAIN))
    return Model.from_params(vocab=vocab, params=params["model"]).eval(), reader


def _weapon_warnings(caplog, path):
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == FIELDS_LOGGER
        and "Weapon" in record.getMessage()
        and str(path) in record.getMessage()
    ]


def test_an_unseen_entity_type_counts_as_missed_gold_with_one_warning(tmp_path, caplog):
    model, reader = _untrained_model_and_reader()
    path = _write_weapon_file(tmp_path / "weapon_dev.json")
    instances = list(reader.read(path))
    for instance in instances:
        reader.apply_token_indexers(instance)
    with caplog.at_level("WARNING", logger=FIELDS_LOGGER):
        batch = Batch(instances)
        batch.index_instances(model.vocab)
        with torch.no_grad():
            model(**batch.as_tensor_dict())
    metrics = model.get_metrics(reset=True)
    # the types are scored (they occur in gold) and never found
    assert metrics["_ner_Weapon_recall"] == 0.0 and metrics["_re_Carries_recall"] == 0.0
    warnings = _weapon_warnings(caplog, path)
    assert len(warnings) == 1, caplog.text
    assert "B-Weapon" not in warnings[0]


def test_training_still_counts_every_label_into_the_vocabulary(tmp_path, caplog):
    path = _write_weapon_file(tmp_path / "weapon_train.json")
    params = Params.from_file(CONFIG)
    reader = DatasetReader.from_params(params["dataset_reader"])
    instances = list(reader.read(path))
    vocab = Vocabulary.from_instances(instances)
    assert "Weapon" in vocab.get_token_to_index_vocabulary(ENTITY_NAMESPACE)
    assert "B-Weapon" in vocab.get_token_to_index_vocabulary(BIO_NAMESPACE)
    with caplog.at_level("WARNING", logger=FIELDS_LOGGER):
        for instance in instances:
            instance.index_fields(vocab)
    assert not _weapon_warnings(caplog, path)


def test_evaluate_and_predict_with_the_dataset_reader_take_an_unseen_type(
    archive,
    predictor,
    tmp_path,
    caplog,
):
    path = _write_weapon_file(tmp_path / "weapon_eval.json")
    with caplog.at_level("WARNING", logger=FIELDS_LOGGER):
        metrics = evaluate_from_archive(archive, str(path))
    assert "loss" in metrics and len(_weapon_warnings(caplog, path)) == 1

    # `predict --use-dataset-reader` ignores the gold annotation: no error, nothing to warn about
    other = _write_weapon_file(tmp_path / "weapon_predict.json")
    outputs = predictor.predict_batch_instance(list(predictor.dataset_reader.read(other)))
    assert [output["orig_id"] for output in outputs] == ["dev-0", "dev-1"]
