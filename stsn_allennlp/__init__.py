"""STSN (Sequence Tagging enhanced Span-based Network) for joint entity and relation extraction.

Importing this package registers its AllenNLP components; `.allennlp_plugins` names it so that the
`allennlp` command finds them without `--include-package`.
"""
