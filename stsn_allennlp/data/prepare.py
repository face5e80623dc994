"""`python -m stsn_allennlp.data.prepare`, the command line the documentation gives: runs
`stsn_allennlp.commands.prepare`."""

import sys

from stsn_allennlp.commands.prepare import main

if __name__ == "__main__":
    sys.exit(main())
