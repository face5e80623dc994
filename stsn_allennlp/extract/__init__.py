"""Entities and relations from a whole corpus, streamed, resumable, in parallel, optionally on Ray:
`python -m stsn_allennlp.extract MODEL.tar.gz INPUT... -o OUT_DIR`.

The input records (`sources`: JSON lines in the predictor's formats, or plain text, gzip'ed or
not) are cut into shards of `shard_size` records (`shards`); each shard is predicted by a worker
holding the model (`worker`), in this process, in worker processes (`runners`) or in Ray actors
(`ray_runner`), and written atomically by the driver (`run`), which then rewrites the manifest
(`manifest`). Output record: the predictor's sentence record plus its `source`.
"""

from stsn_allennlp.extract.manifest import OutputBusyError, OutputMismatchError
from stsn_allennlp.extract.progress import Summary
from stsn_allennlp.extract.run import extract
from stsn_allennlp.extract.settings import ExtractSettings

__all__ = ["ExtractSettings", "OutputBusyError", "OutputMismatchError", "Summary", "extract"]
