"""Model-side helpers of the benchmarks: batching instances, the bare STSN-shaped stack (the DESIGN's
ceiling), and a span-classifier wrapper that fixes how many entities inference predicts."""
from typing import Any, Callable, Dict, List, Optional

import torch
from allennlp.data import Batch, Instance, Vocabulary
from torch import nn


def tensorize(instances: List[Instance], vocab: Vocabulary, reader: Any) -> Dict[str, Any]:
    """The padded tensor dict of a batch of `reader`'s instances, as a data loader would give it."""
    for instance in instances:
        reader.apply_token_indexers(instance)
    batch = Batch(instances)
    batch.index_instances(vocab)
    return batch.as_tensor_dict()


class _BareUnit(nn.Module):
    """Multi-head attention + residual + LayerNorm, then FFN d->d->d (ReLU) + residual + LayerNorm."""

    def __init__(self, dim: int, num_heads: int) -> None:
        super().__init__()
        self.attention = nn.MultiheadAttention(dim, num_heads, batch_first=True)
        self.norm1 = nn.LayerNorm(dim)
        self.ffn = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.norm2 = nn.LayerNorm(dim)

    def forward(self, query: torch.Tensor, key_value: torch.Tensor, padding: torch.Tensor) -> torch.Tensor:
        attended, _ = self.attention(query, key_value, key_value, key_padding_mask=padding, need_weights=False)
        hidden = self.norm1(query + attended)
        return self.norm2(hidden + self.ffn(hidden))


class BareStack(nn.Module):
    """
    The DESIGN's "bare STSN-shaped stack": `num_layers` layers of three attention units
    (label stream attends to itself, entity and relation streams attend to the new label stream),
    no projections, no fusion, no decoders. Written independently of `stsn_allennlp`, so that the
    ceiling does not depend on the code it bounds.
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


class ForcedEntities(nn.Module):
    """
    Wraps STSN's span classifier so that, at inference, exactly `count(num_words)` single-word spans
    per sentence (evenly spaced) are predicted as entities and all other spans as `NoneEntity`.
    The wrapped classifier still runs, so the measured cost is the model's; only the decision is
    fixed, which makes the number of scored pairs (k * (k - 1) per sentence) a controlled variable.
    In training mode it does nothing. It relies on prediction instances listing every candidate span
    by width, then start (`stsn_allennlp.data.sampling.enumerate_spans`), so the first `num_words`
    spans of a sentence are its single words.
    """

    def __init__(self, classifier: nn.Module, none_index: int, entity_index: int,
                 count: Callable[[int], int]) -> None:
        super().__init__()
        self.classifier = classifier
        self.none_index = none_index
        self.entity_index = entity_index
        self.count = count
        self.rows: Optional[torch.Tensor] = None  # set per batch by the hook; None in training mode

    @classmethod
    def install(cls, model: nn.Module, count: Callable[[int], int]) -> "ForcedEntities":
        """Replaces `model._span_classifier` and hooks `model.forward` to see each batch's spans."""
        none_index = model._none_entity_index
        entity_index = next(i for i in range(model._span_classifier.out_features) if i != none_index)
        wrapper = cls(model._span_classifier, none_index, entity_index, count)
        model._span_classifier = wrapper
        model.register_forward_pre_hook(wrapper._capture, with_kwargs=True)
        return wrapper

    def _capture(self, module: nn.Module, args: Any, kwargs: Dict[str, Any]) -> None:
        if module.training:
            self.rows = None
            return
        spans = kwargs["spans"]
        valid = (spans[..., 0] >= 0).sum(dim=1).tolist()
        words = kwargs["tokens"]["tokens"]["mask"].sum(dim=1).tolist()
        rows: List[int] = []
        offset = 0
        for num_spans, num_words in zip(valid, words):
            k = min(max(self.count(int(num_words)), 0), int(num_words))
            rows += [offset + (i * int(num_words)) // k for i in range(k)] if k else []
            offset += int(num_spans)
        self.rows = torch.tensor(rows, dtype=torch.long)

    def forward(self, representations: torch.Tensor) -> torch.Tensor:
        logits = self.classifier(representations)
        if self.rows is None:
            return logits
        forced = torch.full_like(logits, -20.0)
        forced[:, self.none_index] = 20.0
        forced[self.rows, self.none_index] = -20.0
        forced[self.rows, self.entity_index] = 20.0
        return forced
