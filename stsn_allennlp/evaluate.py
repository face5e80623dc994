"""`python -m stsn_allennlp.evaluate`, the command line the documentation gives: runs
`stsn_allennlp.commands.evaluate`."""

import sys

from stsn_allennlp.commands.evaluate import main

if __name__ == "__main__":
    sys.exit(main())
