// STSN on one fold of the full ADE data set (the paper's "ADE♠"): 119 of its 4272 sentences hold
// two-fold overlapping entities, tagged with the extended BIO scheme (e.g. B-Adverse-Effect/B-Drug).
//
//   python -m stsn_allennlp.data.prepare --from ../shared/data   # once: writes data/ade/
//   allennlp train training_config/ade_full.jsonnet -s runs/ade_full/fold_0
//
// data/ade holds SpERT's splits ade_split_{fold}_{train,test}.json. Everything else is as in
// ade.jsonnet (`fold::`, no model selection, test split evaluated after training).
(import "ade.jsonnet") + {
  files:: "ade_split",
  // full ADE nests entities (119 of 4272 sentences hold two nested ones) and never crosses them
  entity_overlap:: "nested",
}
