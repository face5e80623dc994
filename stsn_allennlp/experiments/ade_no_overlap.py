"""`python -m stsn_allennlp.experiments.ade_no_overlap`, the command line the documentation gives: runs
`stsn_allennlp.commands.ade_no_overlap`."""

import sys

from stsn_allennlp.commands.ade_no_overlap import main

if __name__ == "__main__":
    sys.exit(main())
