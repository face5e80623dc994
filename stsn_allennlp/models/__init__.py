from stsn_allennlp.models.stsn import Stsn

__all__ = ["Stsn"]
