// The accuracy benchmark's estimate on unseen data: one fold of the 5-fold cross-validation over
// CoNLL04 train + dev (training_config/conll04_cv.jsonnet's folds, written by
// `stsn_allennlp.data.prepare` into STSN_BENCH_CV_DIR), under the budget and settings of
// conll04_minilm.jsonnet. No validation: the last epoch is kept and scored on the fold's test part.
// `python -m bench.accuracy cv` runs the folds through `stsn_allennlp.experiments.protocol`, which
// sets `fold::`.
local bench = import "bench.libsonnet";
local stsn = import "../../training_config/stsn.libsonnet";

local folds = std.extVar("STSN_BENCH_CV_DIR");

bench.Recipe(std.extVar("STSN_BENCH_SETTINGS")) + stsn.NoValidation + stsn.Test + {
  local config = self,
  fold:: 0,
  local split(name) = "%s/conll04_cv_%d_%s.json" % [folds, config.fold, name],
  data_paths:: {train: split("train"), test: split("test")},
  num_epochs:: 15,
} + bench.Settings(std.extVar("STSN_BENCH_SETTINGS"))
