// STSN on CoNLL04 (SpERT JSON), the paper's hyper-parameters (§4.1).
//
//   STSN_DATA_DIR=../shared/data/conll04 STSN_MODEL_NAME=bert-base-cased \
//     allennlp train training_config/conll04.jsonnet -s runs/conll04
//
// STSN_DATA_DIR holds conll04_train.json and conll04_dev.json (SpERT's file names); the best epoch
// on dev is kept. For the paper's test scores add the test split, e.g.
//   -o '{"test_data_path": "data/conll04/conll04_test.json", "evaluate_on_test": true}'
// The paper reports CoNLL04 with micro and macro F1 (metrics.json has both).
local datasets = import "datasets.libsonnet";

datasets.Dataset + {
  entity_overlap:: "none",   // CoNLL04's entities never overlap
  data_paths:: {
    train: datasets.file("conll04_train.json"),
    validation: datasets.file("conll04_dev.json"),
  },
}
