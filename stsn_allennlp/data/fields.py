"""The fields of an STSN `Instance`: the one contract between the dataset readers and the model.

Every reader (`stsn_spert`, `stsn_dygie`) and the predictor build instances with these names, and the
`stsn` model's `forward` takes them as keyword arguments.

- `TOKENS` (`TextField`): the sentence's word tokens, indexed by a `pretrained_transformer_mismatched`
  indexer under the key `"tokens"` (word-piece ids plus per-word `offsets`, so the model can max-pool
  word pieces into words). Sentences longer than the transformer's limit are folded into segments by
  the indexer's and embedder's `max_length`. A reader with `word_shapes` also indexes the words
  under the key `WORD_SHAPES` by a `stsn_word_shape` indexer (their capitalisation, for an uncased
  encoder), which a token embedder of the same name embeds.
- `BIO_TAGS` (`FallbackLabelField` over `TOKENS`, namespace `BIO_NAMESPACE`): gold (extended) BIO
  tags. Present only when the input holds gold entities.
- `SPANS` (`ListField[SpanField]`, end inclusive as AllenNLP's `SpanField`): candidate spans. When the
  reader samples negatives (training): every gold entity plus up to N sampled negative spans; otherwise
  every span of width <= `max_span_width`. Padding spans are `(-1, -1)`; a sampled sentence with no
  entity and no negative holds one.
- `SPAN_LABELS` (`FallbackLabelField` over `SPANS`, namespace `ENTITY_NAMESPACE`): the gold type of
  each candidate span, `NONE_ENTITY` for negatives. Present only with gold entities.
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

Gold labels the model's vocabulary lacks (an entity type unseen in training, in a file to evaluate)
are indexed as `OUTSIDE_TAG` or `NONE_ENTITY` by `FallbackLabelField`, with one warning per file and
label; the gold entities stay in the metadata, so the metric counts them as missed.
"""

import logging

from allennlp.data import Vocabulary
from allennlp.data.fields import SequenceField, SequenceLabelField

from stsn_allennlp.core.sentence import TYPE_SEPARATOR
from stsn_allennlp.core.tagging import OUTSIDE_TAG

logger = logging.getLogger(__name__)

TOKENS = "tokens"
BIO_TAGS = "bio_tags"
SPANS = "spans"
SPAN_LABELS = "span_labels"
RELATION_PAIRS = "relation_pairs"
RELATION_LABELS = "relation_labels"
METADATA = "metadata"

WORD_SHAPES = "word_shapes"

BIO_NAMESPACE = "bio_labels"
ENTITY_NAMESPACE = "entity_labels"
RELATION_NAMESPACE = "relation_labels"

NONE_ENTITY = "NoneEntity"


_reported: set[tuple[str, str]] = set()


class FallbackLabelField(SequenceLabelField):
    """
    A `SequenceLabelField` whose labels missing from the vocabulary are indexed as `fallback`
    instead of raising `KeyError`: the gold labels of a file to evaluate may hold an entity type
    the model never saw. Counting vocabulary items is `SequenceLabelField`'s, so training builds
    the same vocabulary as before.

    The first time a file (`source`) shows a missing label, one warning names the file and the
    entity types (for BIO tags, the types they tag; a tag combining known types is named as such).
    """

    def __init__(
        self,
        labels: list[str],
        sequence_field: SequenceField,
        label_namespace: str,
        fallback: str,
        source: str = "input",
    ) -> None:
        super().__init__(labels, sequence_field, label_namespace=label_namespace)
        self._fallback = fallback
        self._source = source

    def index(self, vocab: Vocabulary) -> None:
        known = vocab.get_token_to_index_vocabulary(self._label_namespace)
        unseen = sorted({str(label) for label in self.labels if label not in known})
        if not unseen:
            super().index(vocab)
            return
        _warn_unseen(self._source, self._label_namespace, unseen, vocab)
        fallback = known[self._fallback]
        self._indexed_labels = [known.get(str(label), fallback) for label in self.labels]


def _warn_unseen(source: str, namespace: str, unseen: list[str], vocab: Vocabulary) -> None:
    """Warns once per file and name of the entity types (or BIO tags) of `unseen` labels."""
    types: set[str] = set()
    tags: set[str] = set()
    if namespace == BIO_NAMESPACE:
        known_types = vocab.get_token_to_index_vocabulary(ENTITY_NAMESPACE)
        for tag in unseen:
            tagged = {part.split("-", 1)[-1] for part in tag.split(TYPE_SEPARATOR)}
            missing = tagged - known_types.keys()
            types |= missing
            if not missing:
                tags.add(tag)
    else:
        types = set(unseen)
    new = sorted(name for name in types | tags if (source, name) not in _reported)
    if not new:
        return
    _reported.update((source, name) for name in new)
    new_types = [name for name in new if name in types]
    new_tags = [name for name in new if name in tags]
    if new_types:
        logger.warning(
            "%s: entity types unseen in training: %s; the model cannot predict them, so their "
            "gold entities count as missed",
            source,
            ", ".join(new_types),
        )
    if new_tags:
        logger.warning(
            "%s: BIO tags of known entity types unseen in training: %s; they are indexed "
            "as %r, which changes only the loss",
            source,
            ", ".join(new_tags),
            OUTSIDE_TAG,
        )
