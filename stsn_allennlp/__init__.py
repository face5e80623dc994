"""STSN (Sequence Tagging enhanced Span-based Network) for joint entity and relation extraction.

Importing this package registers its AllenNLP components; `.allennlp_plugins` names it so that the
`allennlp` command finds them without `--include-package`.
"""

import stsn_allennlp.data
import stsn_allennlp.metrics
import stsn_allennlp.models
import stsn_allennlp.modules
import stsn_allennlp.predictors
import stsn_allennlp.training  # noqa: F401
