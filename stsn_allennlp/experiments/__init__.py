"""
The paper's experiment protocols (nothing here is a registered component): `protocols` (the
library), `runs` (one training run), `statistics` and `report`; the command lines, at these paths,
are layers of `stsn_allennlp.commands`:

- `python -m stsn_allennlp.experiments.protocol`: trains a config once per fold (cross-validation,
  ADE) and/or once per seed (repeated runs), then reports the mean, the standard deviation and the
  mean of the top-k runs of every metric as JSON and as a Markdown table;
- `python -m stsn_allennlp.experiments.ade_no_overlap`: writes the ADE splits without the sentences
  that hold overlapping entities, the data of `training_config/ade.jsonnet` (the data command
  `python -m stsn_allennlp.data.prepare` writes them for you; the filter is
  `stsn_allennlp.core.ade_no_overlap`).

`docs/training.md` describes the protocols, the configs and how to change their settings.
"""
