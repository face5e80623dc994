"""Importing this module registers every AllenNLP component of the package.

`.allennlp_plugins` names it, so the `allennlp` command finds the components without
`--include-package`; in Python, `import stsn_allennlp.components` does the same (and
`stsn_allennlp.predictors`, which loads archives that name them, imports it).
"""

import stsn_allennlp.data
import stsn_allennlp.metrics
import stsn_allennlp.models
import stsn_allennlp.modules
import stsn_allennlp.predictors
import stsn_allennlp.training  # noqa: F401
