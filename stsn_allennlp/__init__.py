"""STSN (Sequence Tagging enhanced Span-based Network) for joint entity and relation extraction.

Importing this package imports nothing else: `stsn_allennlp.core` is plain Python (sentences,
spans, file formats, scoring), and `import stsn_allennlp.components` registers the AllenNLP
components (`.allennlp_plugins` names that module, so the `allennlp` command finds them without
`--include-package`).
"""
