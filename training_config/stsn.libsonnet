// The shared STSN training template. A config imports it and overrides hidden fields:
//
//   local stsn = import "stsn.libsonnet";
//   stsn.Stsn + { data_paths:: {train: "...", validation: "..."}, model_name:: "bert-base-cased" }
//
// The dataset configs (conll04, ade, ade_full, ace05) go through `datasets.libsonnet`, which adds
// a data folder (`data_dir::`) and the encoder's hidden size; no config reads an external variable.
// Anything else can be changed with `+:` overrides of the visible fields, e.g.
//   model+: {encoder+: {num_layers: 0}}
// or on the command line with dotted keys, e.g. -o '{"model.encoder.num_layers": 0}'.
// The defaults are the paper's architecture and encoder with the best training recipe measured
// (bench/accuracy.py); the mixin `Paper` restores the paper's hyper-parameters (§4.1).
{
  Stsn:: {
    local stsn = self,

    // --- hidden fields a config sets ---
    // train and validation data (the epoch with the best `validation_metric` is kept); see the
    // mixins `Test` and `NoValidation` below for a test set and for training without validation
    data_paths:: {train: error "set data_paths.train", validation: error "set data_paths.validation"},
    reader_type:: "stsn_spert",       // "stsn_spert" (SpERT JSON) or "stsn_dygie" (DyGIE JSON lines)
    overlap_policy:: "error",         // entities the extended BIO tags cannot hold: "error" or "drop"
    model_name:: "bert-base-cased",   // any Hugging Face encoder name or local folder (albert-xxlarge-v1: the large variant)
    transformer_dim:: 768,            // the encoder's hidden size (768 for bert-base-cased, 4096 for albert-xxlarge-v1)
    max_length:: 512,                 // word pieces per transformer segment; longer sentences are folded
    // STSN does not use the pooler; without it every parameter gets a gradient (needed for DDP).
    // Set to {} for encoders whose constructor has no add_pooling_layer argument.
    transformer_kwargs:: {add_pooling_layer: false},
    // an embedding of each word's shape (capitalisation: `stsn_word_shape`) beside the
    // transformer's, for uncased encoders; 0: none (the paper)
    word_shape_dim:: 0,
    max_span_width:: 10,
    negative_spans:: 100,
    negative_pairs:: 100,
    num_layers:: 4,
    num_heads:: 8,
    label_embedding_dim:: 150,
    width_embedding_dim:: 150,
    // an embedding of the tokens between a relation's two spans, in the relation classifier's
    // input; 0: none (the paper)
    distance_embedding_dim:: 0,
    // append the max-pool of a span's tokens to its representation; false: endpoints and width
    // only (the paper)
    pool_span_inside:: false,
    relation_threshold:: 0.4,
    // at inference, relate only entity types that the relation type joins in the training data
    // (counted while training, kept in the archive); false: any types (the paper)
    restrict_argument_types:: true,
    // which predicted entities may overlap (see Stsn's docstring): "any" (the paper), "nested",
    // "two_fold" or "none"; a dataset config sets its data set's structure
    entity_overlap:: "any",
    use_label_embedding:: true,
    use_entity_relation_to_label_attention:: true,
    symmetric_relation_types:: [],    // relation types matched in either direction by the metric
    // The training recipe: the best measured in bench/accuracy.py (CoNLL04, MiniLM, 15 epochs);
    // the mixin `Paper` below restores §4.1 (batch 4, lr 5e-5 everywhere, gold tags, no clipping).
    batch_size:: 8,                   // per worker under distributed training (the paper: 4)
    num_epochs:: 100,
    learning_rate:: 1e-4,             // the transformer's (the paper: 5e-5)
    // the learning rate of every parameter outside the transformer (the randomly initialised
    // stack, tagger, embeddings and heads); null: `learning_rate`, as in the paper
    task_learning_rate:: 3e-4,
    grad_norm:: 1.0,                  // gradient clipping (max total norm); null: none, as in the paper
    // the probability that a token's label embedding comes from its gold tag in training (else from
    // the tagger's prediction, as at inference); 1.0 is the paper
    gold_tag_probability:: 0.0,
    weight_decay:: 0.01,
    // the decay of an exponential moving average of the weights (AllenNLP's `moving_average`),
    // validated, kept and archived in place of the raw weights; null: none (the paper)
    ema_decay:: null,
    warmup_ratio:: 0.1,
    cuda_device:: -1,                 // null: the first GPU when there is one, else the CPU
    seed:: 13,

    // No weight decay on biases and normalisation weights (the transformer's `LayerNorm.weight`,
    // STSN's `attention_norm.weight` and `feed_forward_norm.weight`); with a task learning rate, the
    // parameters outside the transformer (`_text_field_embedder`) form groups of their own.
    local no_decay = "(bias|[Nn]orm\\.weight)$",
    local transformer = "^_text_field_embedder",
    local optimizer_groups(task_lr) =
      if task_lr == null then [[[no_decay], {weight_decay: 0.0}]]
      else [
        [[transformer + ".*" + no_decay], {weight_decay: 0.0}],
        [["^(?!_text_field_embedder).*" + no_decay], {weight_decay: 0.0, lr: task_lr}],
        [["^(?!_text_field_embedder)(?!.*" + no_decay + ")"], {lr: task_lr}],
      ],

    local reader(sample_negatives) = {
      type: stsn.reader_type,
      model_name: stsn.model_name,
      max_length: stsn.max_length,
      max_span_width: stsn.max_span_width,
      sample_negatives: sample_negatives,
      negative_spans: stsn.negative_spans,
      negative_pairs: stsn.negative_pairs,
      seed: stsn.seed,
      overlap_policy: stsn.overlap_policy,
      word_shapes: stsn.word_shape_dim > 0,
    },

    random_seed: stsn.seed,
    numpy_seed: stsn.seed,
    pytorch_seed: stsn.seed,
    dataset_reader: reader(true),
    validation_dataset_reader: reader(false),   // also reads the test data (mixin `Test`)
    train_data_path: stsn.data_paths.train,
    validation_data_path: stsn.data_paths.validation,
    // a local encoder folder's configuration and tokenizer, copied by the reader and embedder
    include_in_archive: ["encoder"],
    model: {
      type: "stsn",
      text_field_embedder: {
        token_embedders: {
          tokens: {
            type: "pretrained_transformer_mismatched_max",
            model_name: stsn.model_name,
            max_length: stsn.max_length,
            transformer_kwargs: stsn.transformer_kwargs,
          },
        } + (
          if stsn.word_shape_dim > 0
          then {word_shapes: {type: "stsn_word_shape", embedding_dim: stsn.word_shape_dim}}
          else {}
        ),
      },
      encoder: {
        type: "stacked_label_attention",
        input_dim: stsn.transformer_dim + stsn.word_shape_dim,
        hidden_dim: stsn.transformer_dim,
        num_layers: stsn.num_layers,
        num_heads: stsn.num_heads,
        use_entity_relation_to_label_attention: stsn.use_entity_relation_to_label_attention,
      },
      label_embedding_dim: stsn.label_embedding_dim,
      use_label_embedding: stsn.use_label_embedding,
      width_embedding_dim: stsn.width_embedding_dim,
      distance_embedding_dim: stsn.distance_embedding_dim,
      pool_span_inside: stsn.pool_span_inside,
      max_span_width: stsn.max_span_width,
      relation_threshold: stsn.relation_threshold,
      restrict_argument_types: stsn.restrict_argument_types,
      entity_overlap: stsn.entity_overlap,
      gold_tag_probability: stsn.gold_tag_probability,
      symmetric_relation_types: stsn.symmetric_relation_types,
    },
    data_loader: {
      // re-reads the training data every epoch so that fresh negatives are sampled, as SpERT does
      type: "stsn_resampling",
      batch_sampler: {type: "bucket", batch_size: stsn.batch_size, sorting_keys: ["tokens"]},
    },
    validation_data_loader: {
      batch_sampler: {type: "bucket", batch_size: stsn.batch_size, sorting_keys: ["tokens"]},
    },
    trainer: {
      num_epochs: stsn.num_epochs,
      cuda_device: stsn.cuda_device,
      validation_metric: "+re_plus_f1_micro",
      optimizer: {
        type: "huggingface_adamw",
        lr: stsn.learning_rate,
        weight_decay: stsn.weight_decay,
        parameter_groups: optimizer_groups(stsn.task_learning_rate),
      },
      learning_rate_scheduler: {type: "linear_with_warmup_ratio", warmup_ratio: stsn.warmup_ratio},
      checkpointer: {keep_most_recent_by_count: 1},
    } + (if stsn.grad_norm == null then {} else {grad_norm: stsn.grad_norm})
    + (if stsn.ema_decay == null then {} else {
         moving_average: {type: "exponential", decay: stsn.ema_decay},
       }),
  },

  // Mixins, e.g. `stsn.Stsn + stsn.Test + {data_paths:: {train: ..., validation: ..., test: ...}}`.
  // (Jsonnet cannot make a field's presence depend on `self`, hence mixins rather than switches;
  // AllenNLP needs absent rather than null paths.)

  // Evaluates data_paths.test once after training with the kept epoch's weights: `test_*` scores in
  // metrics.json.
  Test:: {
    test_data_path: self.data_paths.test,
    evaluate_on_test: true,
  },

  // Trains without validation data (for data sets without a development split, such as ADE): no
  // model selection, the last epoch is kept, and data_paths needs no validation entry.
  NoValidation:: {
    validation_data_path:: null,
  },

  // The paper's exact recipe (§4.1) where the template's defaults depart from it for accuracy:
  // every predicted entity kept, relations between any entity types, gold tags embedded in
  // training, one learning rate, no clipping.
  Paper:: {
    restrict_argument_types:: false,
    batch_size:: 4,
    learning_rate:: 5e-5,
    entity_overlap:: "any",
    gold_tag_probability:: 1.0,
    task_learning_rate:: null,
    grad_norm:: null,
  },
}
