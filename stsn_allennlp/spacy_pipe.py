"""The spaCy pipeline component `"stsn"`: an STSN model's entities and relations on spaCy `Doc`s.

```python
import spacy

nlp = spacy.blank("en")
nlp.add_pipe("stsn", config={"archive": "runs/conll04/model.tar.gz"})
doc = nlp("John Smith works for Acme Corp in Boston.")
print(doc.spans["stsn"], doc.ents, doc._.relations)
```

The factory is registered with spaCy through the entry point `spacy_factories` of this package,
so `add_pipe("stsn")` works without importing it first; nothing is downloaded.

**Sentences.** The model runs on each sentence of the `Doc`: its `doc.sents` when a component
set sentence boundaries before this one (a parser, a `senter`, a `sentencizer`), else the
boundaries of one pass of spaCy's rule-based `Sentencizer` (the same splitter as the `stsn`
predictor's `{"document": ...}` input; the `Doc`'s own boundaries are left unset). Whitespace
tokens are dropped, as the predictor drops them; the model sees the `Doc`'s other tokens as they
are. With `spacy.blank("en")` these are the tokens the predictor makes from the same raw text, so
entities, relations and character offsets (`span.start_char`, `span.end_char`) agree with the
predictor's `char_start` and `char_end`. (The predictor also turns control characters such as
`\\x1b[31m` into spaces before tokenizing; a `Doc` holding them keeps them in its tokens.)

**Annotations.**

- `doc.spans[span_key]` (default `"stsn"`): every predicted entity as a `Span` whose `label_` is
  its type, in the model's order; entities may overlap.
- `span._.stsn_score`: the model's score of an entity (a getter: any `Span` of the same tokens and
  label has it, e.g. those of `doc.ents`); `None` for a span the model did not predict.
- `doc.ents`: replaced by the predicted entities that do not overlap, the highest-scoring first
  (the model's own `entity_overlap="none"` decoding).
- `doc._.relations`: a list of `StsnRelation(head, tail, label, score)`, `head` and `tail` being
  entity `Span`s; `None` on a `Doc` this component has not processed.

The annotations live in `doc.spans`, `doc.ents` and `doc.user_data` (plain tuples), so
`DocBin(store_user_data=True)` and `Doc.to_bytes` keep them.

**Batching.** `nlp.pipe(texts, batch_size=n)` sends the sentences of `n` documents at a time to
the predictor together, which runs them in batches of the component's `batch_size` sentences of
similar length.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span, Token
from spacy.util import minibatch

from stsn_allennlp.core.spans import Span as TokenSpan
from stsn_allennlp.core.spans import keep_best
from stsn_allennlp.predictors import StsnPredictor

SCORES_KEY = "stsn_entity_scores"
"""The key in `doc.user_data` of the entities' scores, `{(start, end, label): score}`."""
RELATIONS_KEY = "stsn_relations"
"""The key in `doc.user_data` of the relations, as tuples
`(head_start, head_end, head_label, tail_start, tail_end, tail_label, label, score)`."""

_SENTENCIZER = Sentencizer()


class StsnRelation(NamedTuple):
    """A predicted relation, `doc._.relations`' item: from the `head` entity to the `tail` one."""

    head: Span
    tail: Span
    label: str
    score: float


def _entity_score(span: Span) -> float | None:
    return span.doc.user_data.get(SCORES_KEY, {}).get((span.start, span.end, span.label_))


def _relations(doc: Doc) -> list[StsnRelation] | None:
    stored = doc.user_data.get(RELATIONS_KEY)
    if stored is None:
        return None
    return [
        StsnRelation(Span(doc, hs, he, hl), Span(doc, ts, te, tl), label, score)
        for hs, he, hl, ts, te, tl, label, score in stored
    ]


def _register_extensions() -> None:
    """Sets `span._.stsn_score` and `doc._.relations`, refusing to replace another package's."""
    for owner, name, getter in (
        (Span, "stsn_score", _entity_score),
        (Doc, "relations", _relations),
    ):
        extension = owner.get_extension(name)
        if extension is not None and extension[2] is not getter:
            raise ValueError(
                f"{owner.__name__}._.{name} is already registered by other code; the stsn "
                "component needs it: remove the other extension first"
            )
        owner.set_extension(name, getter=getter, force=True)  # type: ignore[arg-type]


_register_extensions()


def sentence_tokens(doc: Doc) -> list[list[Token]]:
    """
    The tokens the model sees, per sentence: `doc.sents` when the `Doc` has sentence boundaries,
    else those of one rule-based `Sentencizer` pass (the `Doc` is not changed); whitespace tokens
    dropped, and sentences left empty by that too.

    # Parameters

    doc : `Doc`
        The document.
    """
    if doc.has_annotation("SENT_START"):
        sentences: Iterable[Span] = doc.sents
    else:
        starts = [i for i, start in enumerate(_SENTENCIZER.predict([doc])[0]) if start] or [0]
        bounds = zip([0, *starts[1:]], [*starts[1:], len(doc)], strict=True)
        sentences = [doc[start:end] for start, end in bounds]
    words = ([token for token in sentence if not token.is_space] for sentence in sentences)
    return [sentence for sentence in words if sentence]


class StsnComponent:
    """
    The pipeline component: annotates each `Doc` with the predictions of an `StsnPredictor`
    (see the module's docstring for what is set where). Made by the `"stsn"` factory
    (`make_stsn`); build it directly to use a predictor already in memory.

    # Parameters

    predictor : `StsnPredictor`
        The predictor that runs the model.
    name : `str`, optional (default = `"stsn"`)
        The component's name in the pipeline.
    span_key : `str`, optional (default = `"stsn"`)
        The key of the entities in `doc.spans`.
    """

    def __init__(
        self, predictor: StsnPredictor, name: str = "stsn", span_key: str = "stsn"
    ) -> None:
        self.predictor = predictor
        self.name = name
        self.span_key = span_key

    def __call__(self, doc: Doc) -> Doc:
        """Annotates one `Doc`."""
        return self._annotate([doc])[0]

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """
        Annotates a stream of `Doc`s, the sentences of `batch_size` documents predicted together.

        # Parameters

        stream : `Iterable[Doc]`
            The documents.
        batch_size : `int`, optional (default = `128`)
            The documents whose sentences go to the predictor at once.
        """
        for docs in minibatch(stream, size=batch_size):
            yield from self._annotate(docs)

    def _annotate(self, docs: Sequence[Doc]) -> Sequence[Doc]:
        sentences = [(doc, tokens) for doc in docs for tokens in sentence_tokens(doc)]
        records = self.predictor.predict_batch_json(
            [{"tokens": [token.text for token in tokens]} for _, tokens in sentences]
        )
        predicted: dict[int, list[tuple[list[Token], dict[str, Any]]]] = {id(d): [] for d in docs}
        for (doc, tokens), record in zip(sentences, records, strict=True):
            if "error" in record:
                raise ValueError(f"the stsn predictor refused a sentence: {record['error']}")
            predicted[id(doc)].append((tokens, record))
        for doc in docs:
            self._set_annotations(doc, predicted[id(doc)])
        return docs

    def _set_annotations(
        self, doc: Doc, sentences: list[tuple[list[Token], dict[str, Any]]]
    ) -> None:
        spans: list[Span] = []
        scores: dict[tuple[int, int, str], float] = {}
        relations: list[tuple[Any, ...]] = []
        for tokens, record in sentences:
            entities = [
                Span(doc, tokens[e["start"]].i, tokens[e["end"] - 1].i + 1, e["type"])
                for e in record["entities"]
            ]
            for span, entity in zip(entities, record["entities"], strict=True):
                scores[_span_key(span)] = float(entity["score"])
            spans.extend(entities)
            relations.extend(
                (
                    *_span_key(entities[r["head"]]),
                    *_span_key(entities[r["tail"]]),
                    r["type"],
                    float(r["score"]),
                )
                for r in record["relations"]
            )
        doc.spans[self.span_key] = spans
        doc.user_data[SCORES_KEY] = scores
        doc.user_data[RELATIONS_KEY] = relations
        doc.ents = _without_overlaps(spans, scores)


def _span_key(span: Span) -> tuple[int, int, str]:
    return span.start, span.end, span.label_


def _without_overlaps(
    spans: Sequence[Span], scores: dict[tuple[int, int, str], float]
) -> list[Span]:
    """
    The spans that overlap no higher-scoring one (ties: the earlier first), as the model's
    `entity_overlap="none"` decoding keeps entities (`keep_best`). `spans` are in text order, and
    so are the kept ones.
    """
    span_scores = [scores[_span_key(span)] for span in spans]
    keep = keep_best([TokenSpan(span.start, span.end) for span in spans], span_scores, "none")
    return [span for span, kept in zip(spans, keep, strict=True) if kept]


@Language.factory(
    "stsn",
    default_config={
        "archive": None,
        "batch_size": 32,
        "cuda_device": -1,
        "span_key": "stsn",
        "overrides": "",
    },
)
def make_stsn(
    nlp: Language,
    name: str,
    archive: str | None,
    batch_size: int,
    cuda_device: int,
    span_key: str,
    overrides: str,
) -> StsnComponent:
    """
    The `"stsn"` factory: `nlp.add_pipe("stsn", config={"archive": "model.tar.gz"})`.

    # Parameters

    nlp : `Language`
        The pipeline (its vocabulary is not needed).
    name : `str`
        The component's name.
    archive : `Optional[str]`
        The trained model's archive (`model.tar.gz`); required.
    batch_size : `int`
        The most sentences the model runs at once.
    cuda_device : `int`
        The GPU to run on; CPU when negative.
    span_key : `str`
        The key of the entities in `doc.spans`.
    overrides : `str`
        JSON overrides of the archived config, as `allennlp predict --overrides` takes them.
    """
    if archive is None:
        raise ValueError(
            'the stsn component needs a model: nlp.add_pipe("stsn", config={"archive": '
            '"runs/conll04/model.tar.gz"})'
        )
    predictor = StsnPredictor.from_path(
        archive, cuda_device=cuda_device, overrides=overrides, batch_size=batch_size
    )
    return StsnComponent(predictor, name, span_key)  # type: ignore[arg-type]
