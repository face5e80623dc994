// The accuracy benchmark's ADE configuration: full ADE (overlapping entities in extended BIO tags),
// fold 0, all-MiniLM-L6-v2, CPU; no validation split (the last epoch is kept), scored on the fold's
// test file after training. Settings and variables as in conll04_minilm.jsonnet, plus
//   STSN_BENCH_ADE=../shared/data/ade
local bench = import "bench.libsonnet";
local stsn = import "../../training_config/stsn.libsonnet";

local ade = std.extVar("STSN_BENCH_ADE");

bench.Recipe(std.extVar("STSN_BENCH_SETTINGS")) + stsn.NoValidation + stsn.Test + {
  data_paths:: {train: ade + "/ade_split_0_train.json", test: ade + "/ade_split_0_test.json"},
  num_epochs:: 5,
} + bench.Settings(std.extVar("STSN_BENCH_SETTINGS"))
