from stsn_allennlp.models.stsn import Stsn
