"""The fields of an STSN `Instance`: the one contract between the dataset readers and the model.

Every reader (`stsn_spert`, `stsn_dygie`) and the predictor build instances with these names, and the
`stsn` model's `forward` takes them as keyword arguments.

- `TOKENS` (`TextField`): the sentence's word tokens, indexed by a `pretrained_transformer_mismatched`
  indexer under the key `"tokens"` (word-piece ids plus per-word `offsets`, so the model can max-pool
  word pieces into words). Sentences longer than the transformer's limit are folded into segments by
  the indexer's and embedder's `max_length`.
- `BIO_TAGS` (`SequenceLabelField` over `TOKENS`, namespace `BIO_NAMESPACE`): gold (extended) BIO tags.
  Present only when the input holds gold entities.
- `SPANS` (`ListField[SpanField]`, end inclusive as AllenNLP's `SpanField`): candidate spans. When the
  reader samples negatives (training): every gold entity plus up to N sampled negative spans; otherwise
  every span of width <= `max_span_width`. Padding spans are `(-1, -1)`; a sampled sentence with no
  entity and no negative holds one.
- `SPAN_LABELS` (`SequenceLabelField` over `SPANS`, namespace `ENTITY_NAMESPACE`): the gold type of each
  candidate span, `NONE_ENTITY` for negatives. Present only with gold entities.
- `RELATION_PAIRS` (`ArrayField`, long, shape `(num_pairs, 2)`, padding `-1`): indices into `SPANS` of
  (head, tail) candidate pairs: gold relations plus up to M sampled negative pairs of gold entities.
  Present only when the reader samples negatives. A sentence without any pair holds one placeholder
  row `[-1, -1]` (AllenNLP cannot batch an empty `ListField`); rows with an index < 0 are padding.
- `RELATION_LABELS` (`ListField[MultiLabelField]`, namespace `RELATION_NAMESPACE`): the gold relation
  types of each row of `RELATION_PAIRS` (multi-label; empty for negatives and the placeholder).
- `METADATA` (`MetadataField`): a dict with `"tokens"` (the words), `"gold_entities"` (list of
  `(start, end_exclusive, type)`), `"gold_relations"` (list of `(head_index, tail_index, type)`, indices
  into `"gold_entities"`), and provenance: `"source"` (file), `"record"` (line or index), `"orig_id"`
  or `"doc_key"`/`"sentence_index"` where the input had them. The predictor adds `"char_offsets"`.
"""

TOKENS = "tokens"
BIO_TAGS = "bio_tags"
SPANS = "spans"
SPAN_LABELS = "span_labels"
RELATION_PAIRS = "relation_pairs"
RELATION_LABELS = "relation_labels"
METADATA = "metadata"

BIO_NAMESPACE = "bio_labels"
ENTITY_NAMESPACE = "entity_labels"
RELATION_NAMESPACE = "relation_labels"

NONE_ENTITY = "NoneEntity"
OUTSIDE_TAG = "O"
