from stsn_allennlp.training.linear_with_warmup_ratio import LinearWithWarmupRatio

__all__ = ["LinearWithWarmupRatio"]
