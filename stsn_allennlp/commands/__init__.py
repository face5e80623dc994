"""The command lines that are no AllenNLP subcommand, each a thin layer over library functions; no
command imports another. Each runs at the path the documentation gives:

- `python -m stsn_allennlp.evaluate` (`evaluate`): scores predictions against gold;
- `python -m stsn_allennlp.visualize` (`visualize`): the HTML view of predictions;
- `python -m stsn_allennlp.data.prepare` (`prepare`): puts the data sets in place;
- `python -m stsn_allennlp.data.convert` (`convert`): SpERT JSON <-> DyGIE JSON lines;
- `python -m stsn_allennlp.experiments.ade_no_overlap` (`ade_no_overlap`): ADE without overlaps;
- `python -m stsn_allennlp.experiments.protocol` (`protocol`): cross-validation and repeated seeds.
"""
