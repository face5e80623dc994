"""The shared dataset reader: a `Sentence` into an STSN `Instance` (`stsn_allennlp.data.fields`)."""

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import torch
from allennlp.common.checks import ConfigurationError
from allennlp.common.file_utils import cached_path
from allennlp.data import DatasetReader, Instance, Token
from allennlp.data.fields import (
    ArrayField,
    Field,
    ListField,
    MetadataField,
    MultiLabelField,
    SpanField,
    TextField,
)
from allennlp.data.token_indexers import PretrainedTransformerMismatchedIndexer, TokenIndexer

from stsn_allennlp.archive_encoder import resolve_encoder
from stsn_allennlp.core.sampling import (
    enumerate_spans,
    negative_pairs,
    negative_spans,
    sample,
    sentence_rng,
)
from stsn_allennlp.core.sentence import (
    DataFormatError,
    Entity,
    Relation,
    Sentence,
    describe_record,
)
from stsn_allennlp.core.spans import Span
from stsn_allennlp.core.tagging import (
    OverlapError,
    check_overlap_policy,
    entities_to_bio,
    taggable_entities,
)
from stsn_allennlp.data.fields import (
    BIO_NAMESPACE,
    BIO_TAGS,
    ENTITY_NAMESPACE,
    METADATA,
    NONE_ENTITY,
    OUTSIDE_TAG,
    RELATION_LABELS,
    RELATION_NAMESPACE,
    RELATION_PAIRS,
    SPAN_LABELS,
    SPANS,
    TOKENS,
    WORD_SHAPES,
    FallbackLabelField,
)
from stsn_allennlp.data.token_indexers import WordShapeIndexer

logger = logging.getLogger(__name__)


class StsnDatasetReader(DatasetReader):
    """
    The base of the STSN readers: a subclass reads a file into `Sentence`s (`read_sentences`), this
    class turns each into an `Instance` with the fields of `stsn_allennlp.data.fields`:

    - `tokens`: the words for a `pretrained_transformer_mismatched` indexer. Sentences longer than
      `max_length` word pieces are folded into segments (the embedder must use the same
      `max_length`). With `word_shapes`, also indexed by their shapes (`stsn_word_shape`).
    - `bio_tags`: extended BIO tags (`stsn_allennlp.core.tagging`). Entities the tags cannot hold
      (e.g. more than two-fold overlaps) follow `overlap_policy`; they stay in `span_labels` and
      the metadata.
    - `spans`, `span_labels`: with `sample_negatives`, every gold entity (in order, so span `i` is
      entity `i`, whatever its width) then up to `negative_spans` sampled non-entity spans of width
      <= `max_span_width` labelled `NoneEntity`; without, every span of width <= `max_span_width`
      labelled with the type of the first gold entity of that span, if any.
    - `relation_pairs`, `relation_labels` (only with `sample_negatives`): one row per ordered pair
      of entities holding gold relations (all their types), then up to `negative_pairs` sampled
      pairs of gold entities holding none (SpERT's strong negatives), or the placeholder
      `[-1, -1]`.
    - `metadata`: `tokens`, `gold_entities`, `gold_relations`, `untagged_entities` (the gold
      entities left out of `bio_tags`) and the provenance (`source`, `record`, `orig_id` or
      `doc_key` and `sentence_index`).

    Gold annotation is read as the file gives it, but once: an entity with the same span and type
    as an earlier one of its sentence is dropped, relations to it point to the earlier one, and a
    relation repeated (same head, tail and type) is kept once; one warning per such sentence names
    the file and the record. A file without records, or not UTF-8, is a `DataFormatError` naming
    the file (and the line).

    `bio_tags` and `span_labels` are `FallbackLabelField`s: a label the model's vocabulary lacks (an
    entity type unseen in training) is indexed as `O` or `NoneEntity`, with one warning naming the
    file and the types, and its entities stay in the gold metadata (scored as missed).

    Negatives are drawn from a generator seeded with `seed`, the epoch (`set_epoch`, 0 unless a
    data loader sets it) and the sentence's provenance: a read is a pure function of the file and
    the epoch, whatever the order, sharding or number of workers (as AllenNLP's `ModelTestCase`
    requires). A data loader that calls `set_epoch` and reads again each epoch gets fresh
    negatives, as SpERT draws them; AllenNLP's default loader reads once and keeps them.

    Instances made by `text_to_instance` without gold entities (prediction) hold only `tokens`,
    `spans` (all candidates) and `metadata` (`tokens` and the given provenance).

    # Parameters

    model_name : `str`
        The transformer's name or local folder, for the word-piece tokenizer.
    max_length : `int`, optional (default = `512`)
        Word pieces per transformer segment; `None` disables folding.
    tokenizer_kwargs : `Dict[str, Any]`, optional (default = `None`)
        Passed to the transformer's tokenizer. Leave lower-casing to the tokenizer's configuration.
    max_span_width : `int`, optional (default = `10`)
        The widest candidate span.
    sample_negatives : `bool`, optional (default = `False`)
        Training mode: gold spans and pairs plus sampled negatives instead of all candidate spans.
    negative_spans : `int`, optional (default = `100`)
        The most negative spans per sentence when sampling.
    negative_pairs : `int`, optional (default = `100`)
        The most negative entity pairs per sentence when sampling.
    seed : `int`, optional (default = `13`)
        Seed of the negative sampling.
    overlap_policy : `str`, optional (default = `"error"`)
        `"error"`: an entity the extended BIO tags cannot hold raises `DataFormatError` naming the
        record. `"drop"`: it is left out of the tags only; the reader logs how many per file.
        (ACE05's nested entities may need `"drop"`.)
    **kwargs
        Passed to `DatasetReader` (e.g. `max_instances`).
    """

    def __init__(
        self,
        model_name: str,
        max_length: int | None = 512,
        tokenizer_kwargs: dict[str, Any] | None = None,
        max_span_width: int = 10,
        sample_negatives: bool = False,
        negative_spans: int = 100,
        negative_pairs: int = 100,
        seed: int = 13,
        overlap_policy: str = "error",
        word_shapes: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(
            manual_distributed_sharding=True, manual_multiprocess_sharding=True, **kwargs
        )
        try:
            check_overlap_policy(overlap_policy)
        except ValueError as error:
            raise ConfigurationError(str(error)) from None
        if max_span_width < 1 or negative_spans < 0 or negative_pairs < 0:
            raise ConfigurationError(
                "max_span_width must be positive, negative_spans and negative_pairs not negative"
            )
        # a local encoder folder: copied for the archive in training, the copy used once trained
        model_name, _ = resolve_encoder(model_name, self.serialization_dir)
        self._token_indexers: dict[str, TokenIndexer] = {
            TOKENS: PretrainedTransformerMismatchedIndexer(
                model_name,
                max_length=max_length,  # type: ignore[arg-type]  # AllenNLP's None default, typed int
                tokenizer_kwargs=tokenizer_kwargs,
            )
        }
        if word_shapes:
            self._token_indexers[WORD_SHAPES] = WordShapeIndexer()
        self._max_span_width = max_span_width
        self._sample_negatives = sample_negatives
        self._negative_spans = negative_spans
        self._negative_pairs = negative_pairs
        self._seed = seed
        self._overlap_policy = overlap_policy
        self._epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """Makes the following reads draw the negatives of `epoch`."""
        self._epoch = epoch

    def read_sentences(self, file_path: str) -> Iterable[Sentence]:
        """The validated sentences of a (local) file; each format's reader implements it."""
        raise NotImplementedError

    def _read(self, file_path: str) -> Iterable[Instance]:
        untagged = 0
        for sentence in self.shard_iterable(self.read_sentences(cached_path(file_path))):
            instance = self._instance(sentence, gold=True)
            untagged += len(cast(MetadataField, instance[METADATA]).metadata["untagged_entities"])
            yield instance
        if untagged:
            logger.warning(
                "%s: %d entities overlap in ways extended BIO tags cannot hold; they are left out "
                "of the tags (overlap_policy='drop') and kept in the span labels",
                file_path,
                untagged,
            )

    def text_to_instance(  # type: ignore
        self,
        tokens: Sequence[str],
        entities: Sequence[tuple[int, int, str]] | None = None,
        relations: Sequence[tuple[int, int, str]] | None = None,
        **metadata: Any,
    ) -> Instance:
        """
        One sentence as an `Instance`, with or without gold annotation.

        # Parameters

        tokens : `Sequence[str]`
            The words.
        entities : `Sequence[Tuple[int, int, str]]`, optional (default = `None`)
            Gold `(start, end_exclusive, type)`; `None` for prediction (no gold fields, all
            candidate spans, no sampling).
        relations : `Sequence[Tuple[int, int, str]]`, optional (default = `None`)
            Gold `(head_index, tail_index, type)` into `entities`.
        **metadata
            Provenance kept in the `metadata` field (e.g. `source`, `record`, `char_offsets`).
        """
        if entities is None and relations:
            raise ValueError("relations were given without entities")
        sentence = Sentence(
            list(tokens),
            [Entity(*entity) for entity in entities or ()],
            [Relation(*relation) for relation in relations or ()],
            dict(metadata),
        )
        try:
            sentence.check()
        except ValueError as error:
            raise DataFormatError(
                str(metadata.get("source", "input")), describe_record(metadata), str(error)
            ) from None
        return self._instance(sentence, gold=entities is not None)

    def apply_token_indexers(self, instance: Instance) -> None:
        instance[TOKENS].token_indexers = self._token_indexers  # type: ignore

    def _instance(self, sentence: Sentence, gold: bool) -> Instance:
        text = TextField([Token(token) for token in sentence.tokens])
        metadata: dict[str, Any] = {"tokens": list(sentence.tokens), **sentence.metadata}
        fields: dict[str, Field] = {TOKENS: text}
        num_tokens = len(sentence.tokens)
        if not gold:
            fields[SPANS] = _span_field(enumerate_spans(num_tokens, self._max_span_width), text)
            fields[METADATA] = MetadataField(metadata)
            return Instance(fields)

        try:
            tagged, untagged = taggable_entities(sentence.entities, self._overlap_policy)
        except OverlapError as error:
            raise DataFormatError(
                str(metadata.get("source", "input")), describe_record(metadata), str(error)
            ) from None
        source = str(metadata.get("source", "input"))
        fields[BIO_TAGS] = FallbackLabelField(
            entities_to_bio(tagged, num_tokens), text, BIO_NAMESPACE, OUTSIDE_TAG, source
        )
        if self._sample_negatives:
            fields.update(self._sampled_fields(sentence, text))
        else:
            fields.update(_all_span_fields(sentence, text, self._max_span_width, source))
        metadata["gold_entities"] = [tuple(entity) for entity in sentence.entities]
        metadata["gold_relations"] = [tuple(relation) for relation in sentence.relations]
        metadata["untagged_entities"] = [tuple(entity) for entity in untagged]
        fields[METADATA] = MetadataField(metadata)
        return Instance(fields)

    def _sampled_fields(self, sentence: Sentence, text: TextField) -> dict[str, Field]:
        """Training: gold spans and pairs first, then sampled negatives."""
        metadata = sentence.metadata
        rng = sentence_rng(
            self._seed,
            self._epoch,
            Path(str(metadata.get("source", ""))).name,
            metadata.get("record"),
            metadata.get("sentence_index"),
            " ".join(sentence.tokens),
        )
        gold_spans = [entity.span for entity in sentence.entities]
        candidates = negative_spans(len(sentence.tokens), gold_spans, self._max_span_width)
        sampled = sample(candidates, self._negative_spans, rng)
        labels = [entity.type for entity in sentence.entities] + [NONE_ENTITY] * len(sampled)
        span_field = _span_field(gold_spans + sampled, text)
        if not labels:
            # No entity and no negative (negative_spans=0): AllenNLP cannot batch an empty
            # ListField, so hold one padding span, which the model skips.
            span_field = ListField([SpanField(-1, -1, text)])
            labels = [NONE_ENTITY]

        gold_pairs: dict[tuple[int, int], set] = {}
        for relation in sentence.relations:
            gold_pairs.setdefault((relation.head, relation.tail), set()).add(relation.type)
        negatives = sample(negative_pairs(gold_spans, gold_pairs), self._negative_pairs, rng)
        rows = [(pair, sorted(types)) for pair, types in gold_pairs.items()]
        rows += [(pair, []) for pair in negatives]
        return {
            SPANS: span_field,
            SPAN_LABELS: _span_labels(labels, span_field, str(metadata.get("source", "input"))),
            RELATION_PAIRS: ArrayField(
                torch.tensor([pair for pair, _ in rows] or [[-1, -1]], dtype=torch.long),
                padding_value=-1,
            ),
            RELATION_LABELS: ListField(
                [MultiLabelField(types, label_namespace=RELATION_NAMESPACE) for _, types in rows]
                or [MultiLabelField([], label_namespace=RELATION_NAMESPACE)]
            ),
        }


def _all_span_fields(
    sentence: Sentence, text: TextField, max_span_width: int, source: str
) -> dict[str, Field]:
    """Evaluation: every candidate span, labelled with the first gold entity of that span."""
    spans = enumerate_spans(len(sentence.tokens), max_span_width)
    type_of_span: dict[Span, str] = {}
    for entity in sentence.entities:
        type_of_span.setdefault(entity.span, entity.type)
    labels = [type_of_span.get(span, NONE_ENTITY) for span in spans]
    span_field = _span_field(spans, text)
    return {
        SPANS: span_field,
        SPAN_LABELS: _span_labels(labels, span_field, source),
    }


def _span_labels(labels: list[str], span_field: ListField, source: str) -> FallbackLabelField:
    """Span labels; a type the model's vocabulary lacks is indexed as `NoneEntity`."""
    return FallbackLabelField(labels, span_field, ENTITY_NAMESPACE, NONE_ENTITY, source)


def _span_field(spans: Iterable[Span], text: TextField) -> ListField:
    """Spans as AllenNLP's end-inclusive `SpanField`s."""
    return ListField([SpanField(span.start, span.last, text) for span in spans])
