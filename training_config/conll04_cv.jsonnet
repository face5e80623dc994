// STSN on one fold of a 5-fold cross-validation over CoNLL04 train + dev: an estimate of accuracy
// on data that chose nothing. The dev score of conll04.jsonnet is biased upwards, as dev chose the
// kept epoch (and the recipe); here no fold's test part takes part in training or in any choice.
//
//   python -m stsn_allennlp.data.prepare --from ../shared/data   # once: writes data/conll04/
//   python -m stsn_allennlp.experiments.protocol training_config/conll04_cv.jsonnet \
//     -s runs/conll04_cv --folds 5 --seeds 13 14 15
//
// data/conll04 holds conll04_cv_{fold}_{train,test}.json (922 or 923 sentences to train on, 230 or
// 231 to test on), which the command above writes. `fold::` picks the fold (0 by default). Without
// a validation split the model trains for the full schedule and the last epoch is kept (with
// `ema_decay::`, the moving average of the weights); it is evaluated once on the fold's test part
// (`test_*` in metrics.json).
local stsn = import "stsn.libsonnet";

(import "conll04.jsonnet") + stsn.NoValidation + stsn.Test + {
  local config = self,
  fold:: 0,   // the cross-validation fold, 0-4
  local split(name) = config.file("conll04_cv_%d_%s.json" % [config.fold, name]),
  data_paths:: {train: split("train"), test: split("test")},
  assert std.isNumber(self.fold) && self.fold >= 0 && self.fold == std.floor(self.fold) :
         "fold must be a fold index (0-4), got " + std.manifestJson(self.fold),
}
