// STSN on CoNLL04 (SpERT JSON) with the paper's encoder (bert-base-cased) and the template's
// training recipe (the best measured; `stsn.Paper` restores §4.1, see stsn.libsonnet).
//
//   python -m stsn_allennlp.data.prepare --from ../shared/data   # once: writes data/conll04/
//   allennlp train training_config/conll04.jsonnet -s runs/conll04
//
// data/conll04 holds conll04_train.json and conll04_dev.json (SpERT's file names); the best epoch
// on dev is kept. For the paper's test scores add the test split, e.g.
//   -o '{"test_data_path": "data/conll04/conll04_test.json", "evaluate_on_test": true}'
// The paper reports CoNLL04 with micro and macro F1 (metrics.json has both). Another data folder,
// encoder or hyper-parameter: a config of your own that imports this one (datasets.libsonnet).
local datasets = import "datasets.libsonnet";

datasets.Dataset + {
  local config = self,
  data_dir:: "data/conll04",
  entity_overlap:: "none",   // CoNLL04's entities never overlap
  data_paths:: {
    train: config.file("conll04_train.json"),
    validation: config.file("conll04_dev.json"),
  },
}
