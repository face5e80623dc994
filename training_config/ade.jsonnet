// STSN on one fold of ADE without the 119 sentences that hold overlapping entities (the paper's
// "ADE"; ade_full.jsonnet is the full data set), the paper's hyper-parameters (§4.1).
//
//   python -m stsn_allennlp.experiments.ade_no_overlap ../shared/data/ade data/ade   # once
//   STSN_DATA_DIR=data/ade STSN_MODEL_NAME=bert-base-cased STSN_FOLD=0 \
//     allennlp train training_config/ade.jsonnet -s runs/ade/fold_0
//
// STSN_DATA_DIR holds ade_no_overlap_split_{fold}_{train,test}.json, written by the command above
// from SpERT's ten ADE splits. ADE has no development split: the model trains for the full
// schedule without model selection (the last epoch is kept, as SpERT does) and is evaluated once
// on the fold's test split (`test_*` in metrics.json). All ten folds, with mean and standard
// deviation: python -m stsn_allennlp.experiments.protocol training_config/ade.jsonnet --folds 10 ...
// The paper reports ADE with macro F1 (metrics.json has micro and macro).
local datasets = import "datasets.libsonnet";
local stsn = import "stsn.libsonnet";

datasets.Dataset + stsn.NoValidation + stsn.Test + {
  local config = self,
  // the files of a fold: {files}_{fold}_{train,test}.json
  files:: "ade_no_overlap_split",
  entity_overlap:: "none",   // the split without overlapping entities
  local split(name) = datasets.file("%s_%d_%s.json" % [config.files, datasets.fold(), name]),
  data_paths:: {train: split("train"), test: split("test")},
}
