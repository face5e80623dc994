// What the dataset configs share: the template of stsn.libsonnet (the paper's hyper-parameters),
// the encoder and the data folder taken from external variables, and the first GPU when there is
// one. AllenNLP passes every environment variable to jsonnet as an external variable:
//
//   STSN_DATA_DIR=../shared/data/conll04 STSN_MODEL_NAME=bert-base-cased \
//     allennlp train training_config/conll04.jsonnet -s runs/conll04
//
//   STSN_DATA_DIR   the folder holding the dataset's files (each config names the files it reads)
//   STSN_MODEL_NAME a Hugging Face encoder name or a local folder: bert-base-cased (the paper's
//                   base model) or albert-xxlarge-v1 (its large variant)
//   STSN_TRANSFORMER_DIM  the encoder's hidden size; read only for an encoder not in `hidden_sizes`
//   STSN_FOLD       the cross-validation fold, 0-9 (ade, ade_full)
//
// These variables have no defaults, because jsonnet cannot give them any: std.extVar fails on an
// undefined variable, and the language deliberately offers no way to ask whether one is defined
// (google/jsonnet#260). A variable a config needs and the shell lacks stops `allennlp train` with
// "undefined external variable: STSN_...", pointing at the line below that reads it.
local stsn = import "stsn.libsonnet";

// Hidden sizes of the paper's encoders and their close relatives.
local hidden_sizes = {
  "bert-base-cased": 768,
  "bert-base-uncased": 768,
  "bert-large-cased": 1024,
  "albert-base-v2": 768,
  "albert-xxlarge-v1": 4096,
  "albert-xxlarge-v2": 4096,
};

local model_name = std.extVar("STSN_MODEL_NAME");

{
  // The template of a dataset config: set `data_paths::` (with `file`) and what the dataset needs.
  Dataset:: stsn.Stsn + {
    model_name:: model_name,
    transformer_dim:: if std.objectHas(hidden_sizes, model_name)
    then hidden_sizes[model_name]
    else std.parseInt(std.extVar("STSN_TRANSFORMER_DIM")),
    cuda_device:: null,
  },

  // A file of the dataset's folder.
  file(name):: std.extVar("STSN_DATA_DIR") + "/" + name,

  // The cross-validation fold.
  fold():: (
    local fold = std.parseInt(std.extVar("STSN_FOLD"));
    assert fold >= 0 : "STSN_FOLD must be a fold index (0-9), got " + fold;
    fold
  ),
}
