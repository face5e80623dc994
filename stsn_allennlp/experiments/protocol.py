"""`python -m stsn_allennlp.experiments.protocol`, the command line the documentation gives: runs
`stsn_allennlp.commands.protocol`."""

import sys

from stsn_allennlp.commands.protocol import main

if __name__ == "__main__":
    sys.exit(main())
