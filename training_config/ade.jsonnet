// STSN on one fold of ADE without the 119 sentences that hold overlapping entities (the paper's
// "ADE"; ade_full.jsonnet is the full data set), the paper's encoder and the template's recipe.
//
//   python -m stsn_allennlp.data.prepare --from ../shared/data   # once: writes data/ade/
//   allennlp train training_config/ade.jsonnet -s runs/ade/fold_0
//
// data/ade holds ade_no_overlap_split_{fold}_{train,test}.json, which the command above writes
// from SpERT's ten ADE splits. `fold::` picks the fold (0 by default); another one, e.g. in
// ade_fold_3.jsonnet in the repository root:
//   (import "training_config/ade.jsonnet") + {fold:: 3}
// ADE has no development split: the model trains for the full schedule without model selection
// (the last epoch is kept, as SpERT does) and is evaluated once on the fold's test split
// (`test_*` in metrics.json). All ten folds, with mean and standard deviation:
//   python -m stsn_allennlp.experiments.protocol training_config/ade.jsonnet --folds 10 ...
// The paper reports ADE with macro F1 (metrics.json has micro and macro).
local datasets = import "datasets.libsonnet";
local stsn = import "stsn.libsonnet";

datasets.Dataset + stsn.NoValidation + stsn.Test + {
  local config = self,
  data_dir:: "data/ade",
  fold:: 0,   // the cross-validation fold, 0-9
  // the files of a fold: {files}_{fold}_{train,test}.json
  files:: "ade_no_overlap_split",
  entity_overlap:: "none",   // the split without overlapping entities
  local split(name) = config.file("%s_%d_%s.json" % [config.files, config.fold, name]),
  data_paths:: {train: split("train"), test: split("test")},
  assert std.isNumber(self.fold) && self.fold >= 0 && self.fold == std.floor(self.fold) :
         "fold must be a fold index (0-9), got " + std.manifestJson(self.fold),
}
