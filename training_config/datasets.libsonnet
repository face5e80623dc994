// What the dataset configs share: the template of stsn.libsonnet (the best measured recipe),
// the paper's base encoder, a data folder inside the repository and the first GPU when there is
// one. Nothing here reads an external variable: every config evaluates with plain `jsonnet`.
//
// Change the data folder, the encoder, the fold or any hyper-parameter in a few-line config of
// your own that imports a dataset config and sets its hidden fields, e.g. my_conll04.jsonnet in
// the repository root:
//
//   (import "training_config/conll04.jsonnet") + {
//     data_dir:: "/path/to/conll04",      // the folder holding the data set's files
//     model_name:: "albert-xxlarge-v1",   // a Hugging Face encoder name or a local folder
//     num_epochs:: 20,                    // any field of stsn.libsonnet
//   }
//
//   allennlp train my_conll04.jsonnet -s runs/my_conll04
//
// Visible fields can also be changed on the command line with dotted keys, e.g.
// -o '{"trainer.num_epochs": 20}'. (AllenNLP hands every environment variable to jsonnet, but
// jsonnet cannot ask whether an external variable is defined, so a config that read one could
// not give it a default: these configs read none.)
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

{
  // The template of a dataset config: set `data_dir::` (its default place inside the repository)
  // and `data_paths::` (with `file`), and what the dataset needs.
  Dataset:: stsn.Stsn + {
    local config = self,
    // the folder holding the data set's files; relative paths start at the directory
    // `allennlp train` runs in (the repository root)
    data_dir:: error "set data_dir:: to the folder holding the data set's files",
    // the paper's base encoder (albert-xxlarge-v1: its large variant)
    model_name:: "bert-base-cased",
    // the encoder's hidden size: known for the encoders above, to be set for any other
    transformer_dim:: if std.objectHas(hidden_sizes, config.model_name)
    then hidden_sizes[config.model_name]
    else error "set transformer_dim:: to the hidden size of the encoder " + config.model_name,
    cuda_device:: null,   // the first GPU when there is one, else the CPU

    // A file of the data folder.
    file(name):: config.data_dir + "/" + name,
  },
}
