"""STSN (Sequence Tagging enhanced Span-based Network) for joint entity and relation extraction.

Importing this package registers its AllenNLP components; `.allennlp_plugins` names it so that the
`allennlp` command finds them without `--include-package`.
"""

import stsn_allennlp.data  # noqa: F401
import stsn_allennlp.metrics  # noqa: F401
import stsn_allennlp.modules  # noqa: F401
import stsn_allennlp.models  # noqa: F401
import stsn_allennlp.training  # noqa: F401
import stsn_allennlp.predictors  # noqa: F401
