"""The registered AllenNLP `Metric` "joint_extraction" (`joint_extraction`) and its distributed
reduction (`distributed`). The counting and scoring it wraps, and the paper's error analysis, are
plain Python in `stsn_allennlp.core` (`scoring`, `error_kinds`, `error_analysis`); the scoring
names below re-export them."""

from stsn_allennlp.core.scoring import JointCounts, TypeCounts, compute_scores, count_sentences
from stsn_allennlp.metrics.joint_extraction import JointExtractionMetric

__all__ = [
    "JointCounts",
    "JointExtractionMetric",
    "TypeCounts",
    "compute_scores",
    "count_sentences",
]
