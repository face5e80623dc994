"""The joint NER/RE metric: plain-Python counting and scoring (`scoring`), the paper's error analysis
(`error_analysis`), the distributed reduction (`distributed`) and the registered AllenNLP `Metric`
"joint_extraction" wrapping them (`joint_extraction`)."""

from stsn_allennlp.metrics.joint_extraction import JointExtractionMetric
from stsn_allennlp.metrics.scoring import JointCounts, TypeCounts, compute_scores, count_sentences

__all__ = [
    "JointCounts",
    "JointExtractionMetric",
    "TypeCounts",
    "compute_scores",
    "count_sentences",
]
