// STSN on ACE05 in the preprocessing of Luan et al. (2019) / Wang and Lu (2020): DyGIE JSON lines,
// one document per line. The paper's encoder (bert-base-cased) and the template's recipe.
//
//   allennlp train training_config/ace05.jsonnet -s runs/ace05
//
// data/ace05 holds train.json, dev.json and test.json as DyGIE++'s scripts/data/ace05 write them
// (JSON lines despite the name; docs/training.md says how to put them there); the best epoch on
// dev is kept and evaluated on test (`test_*` in metrics.json). ACE05 is licensed by the LDC
// (LDC2006T06) and is not distributed here. Another data folder, encoder or hyper-parameter: a
// config of your own that imports this one (datasets.libsonnet).
local datasets = import "datasets.libsonnet";
local stsn = import "stsn.libsonnet";

datasets.Dataset + stsn.Test + {
  local config = self,
  data_dir:: "data/ace05",
  reader_type:: "stsn_dygie",
  // ACE05 nests entities deeper than the two-fold overlaps extended BIO tags hold: the inner ones
  // are left out of the tags (the reader logs how many) and stay in the span labels.
  overlap_policy:: "drop",
  entity_overlap:: "nested",   // ACE05 nests entities and does not cross them
  // PER-SOC holds in both directions and is matched either way; add "PHYS" for preprocessings
  // that treat it as symmetric too.
  symmetric_relation_types:: ["PER-SOC"],
  data_paths:: {
    train: config.file("train.json"),
    validation: config.file("dev.json"),
    test: config.file("test.json"),
  },
}
