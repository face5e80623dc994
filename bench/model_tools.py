"""Model-side helpers of the benchmarks: batching instances, training steps, the bare STSN-shaped
stack (the reference ceiling of `bench/reference.json`), and entity decisions that fix how many
entities inference predicts (`FixedDecisionDecoder`)."""

from collections.abc import Callable
from typing import Any

import torch
from allennlp.data import Batch, Instance, Vocabulary
from allennlp.modules import TextFieldEmbedder
from torch import nn

from stsn_allennlp.data import StsnDatasetReader
from stsn_allennlp.data.fields import ENTITY_NAMESPACE, NONE_ENTITY
from stsn_allennlp.models import Stsn
from stsn_allennlp.models.decoding import CandidateSpans
from stsn_allennlp.models.fixed_decisions import EntityDecision

TensorDict = dict[str, Any]
Step = Callable[[TensorDict], Any]

LEARNING_RATE = 1e-5
"""The AdamW learning rate of the timed training steps (small: the weights barely move)."""

FORCED_LOGIT = 20.0
"""The logit a forced decision gives the chosen label, minus it the others: softmax scores of 1."""


def quantize_linear(model: torch.nn.Module) -> None:
    """
    Dynamic int8 quantization, in place, of every `torch.nn.Linear` of `model` (the transformer's
    and STSN's own): weights stored as int8, activations quantized on the fly. CPU only.

    # Parameters

    model : `torch.nn.Module`
        The model, in evaluation mode.
    """
    torch.ao.quantization.quantize_dynamic(
        model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
    )


def tensorize(
    instances: list[Instance], vocab: Vocabulary, reader: StsnDatasetReader
) -> TensorDict:
    """The padded tensor dict of a batch of `reader`'s instances, as a data loader would give it."""
    for instance in instances:
        reader.apply_token_indexers(instance)
    batch = Batch(instances)
    batch.index_instances(vocab)
    return batch.as_tensor_dict()


def training_step(module: nn.Module, loss: Callable[[TensorDict], torch.Tensor]) -> Step:
    """
    One training step of `module` on a batch: forward, backward and an AdamW step over its trainable
    parameters, minimizing `loss(batch)`. Puts `module` in training mode.
    """
    optimizer = torch.optim.AdamW(
        [p for p in module.parameters() if p.requires_grad], lr=LEARNING_RATE
    )
    module.train()

    def step(batch: TensorDict) -> None:
        optimizer.zero_grad(set_to_none=True)
        loss(batch).backward()
        optimizer.step()

    return step


def stsn_training_step(model: Stsn) -> Step:
    """A training step of STSN on its joint loss (gold spans and pairs plus sampled negatives)."""
    return training_step(model, lambda batch: model(**batch)["loss"])


def encoder_training_step(embedder: TextFieldEmbedder) -> Step:
    """
    A training step of STSN's text field embedder alone (`Stsn.text_field_embedder`: the
    transformer, pooled into words) on a dummy loss of its output: the floor STSN's step is
    compared with.
    """
    return training_step(embedder, lambda batch: embedder(batch["tokens"]).pow(2).mean())


class _BareUnit(nn.Module):
    """Multi-head attention + residual + LayerNorm, then FFN d->d->d (ReLU) + residual + norm."""

    def __init__(self, dim: int, num_heads: int) -> None:
        super().__init__()
        self.attention = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.norm1 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.norm2 = nn.LayerNorm(dim)

    def forward(
        self, query: torch.Tensor, key_value: torch.Tensor, padding: torch.Tensor
    ) -> torch.Tensor:
        attended, _ = self.attention(
            query, key_value, key_value, key_padding_mask=padding, need_weights=False
        )
        hidden = self.norm1(query + attended)
        return self.norm2(hidden + self.ffn(hidden))


class BareStack(nn.Module):
    """
    The reference "bare STSN-shaped stack" (`bench/reference.json`): `num_layers` layers of three
    attention units (label stream attends to itself, entity and relation streams attend to the new
    label stream), no projections, no fusion, no decoders. Written independently of
    `stsn_allennlp`, so that the ceiling does not depend on the code it bounds.
    """

    def __init__(self, dim: int, num_layers: int = 4, num_heads: int = 8) -> None:
        super().__init__()
        self.layers = nn.ModuleList(
            nn.ModuleList(_BareUnit(dim, num_heads) for _ in range(3)) for _ in range(num_layers)
        )

    def forward(self, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        padding = ~mask.bool()
        labels = entities = relations = inputs
        for label_unit, entity_unit, relation_unit in self.layers:
            labels = label_unit(labels, labels, padding)
            entities = entity_unit(entities, labels, padding)
            relations = relation_unit(relations, labels, padding)
        return labels + entities + relations


def first_entity_type(vocab: Vocabulary) -> int:
    """The index of the first entity type that is not `NoneEntity`."""
    none_index = vocab.get_token_index(NONE_ENTITY, ENTITY_NAMESPACE)
    return next(
        index for index in range(vocab.get_vocab_size(ENTITY_NAMESPACE)) if index != none_index
    )


def forced_entity_logits(
    logits: torch.Tensor, vocab: Vocabulary, rows: torch.Tensor | slice
) -> torch.Tensor:
    """
    Logits of the shape of `logits`, `(num_spans, num_entity_types)`, that decide the first entity
    type for the spans at `rows` and `NoneEntity` for all others.
    """
    none_index = vocab.get_token_index(NONE_ENTITY, ENTITY_NAMESPACE)
    forced = torch.full_like(logits, -FORCED_LOGIT)
    forced[:, none_index] = FORCED_LOGIT
    forced[rows, none_index] = -FORCED_LOGIT
    forced[rows, first_entity_type(vocab)] = FORCED_LOGIT
    return forced


def every_span_an_entity(vocab: Vocabulary) -> EntityDecision:
    """An entity decision (`FixedDecisionDecoder`) calling every candidate span an entity."""
    return lambda spans, logits: forced_entity_logits(logits, vocab, slice(None))


def evenly_spaced_entities(vocab: Vocabulary, count: Callable[[int], int]) -> EntityDecision:
    """
    An entity decision (`FixedDecisionDecoder`) under which exactly `count(num_words)`
    single-word spans per sentence, evenly spaced, are entities (of the first entity type) and all
    other spans `NoneEntity`: the number of scored pairs, k (k - 1) per sentence, becomes a
    controlled variable
    while the classifiers still run, so the measured cost stays the model's.

    # Parameters

    vocab : `Vocabulary`
        The model's vocabulary, for the entity type indices.
    count : `Callable[[int], int]`
        The number of entities of a sentence of that many words (clipped to `[0, num_words]`).
    """

    def decide(spans: CandidateSpans, logits: torch.Tensor) -> torch.Tensor:
        return forced_entity_logits(logits, vocab, evenly_spaced_words(spans, count))

    return decide


def evenly_spaced_words(spans: CandidateSpans, count: Callable[[int], int]) -> torch.Tensor:
    """
    Indices into `spans` of `count(num_words)` evenly spaced single-word spans of each sentence,
    where a sentence's words are its single-word candidate spans (start == end).
    """
    single = (spans.starts == spans.ends).nonzero(as_tuple=True)[0]
    chosen: list[torch.Tensor] = []
    for sentence in spans.batch[single].unique().tolist():
        words = single[spans.batch[single] == sentence]
        words = words[spans.starts[words].argsort()]
        num_words = len(words)
        k = min(max(count(num_words), 0), num_words)
        chosen.append(words[[(i * num_words) // k for i in range(k)]])
    return torch.cat(chosen) if chosen else torch.zeros(0, dtype=torch.long)
