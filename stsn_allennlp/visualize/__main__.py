"""`python -m stsn_allennlp.visualize`, the command line the documentation gives: runs
`stsn_allennlp.commands.visualize`."""

import sys

from stsn_allennlp.commands.visualize import main

if __name__ == "__main__":
    sys.exit(main())
