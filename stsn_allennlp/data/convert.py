"""`python -m stsn_allennlp.data.convert`, the command line the documentation gives: runs
`stsn_allennlp.commands.convert`."""

import sys

from stsn_allennlp.commands.convert import main

if __name__ == "__main__":
    sys.exit(main())
