"""Extract entities and relations from a whole corpus, resumably.

    python -m stsn_allennlp.extract MODEL.tar.gz INPUT... -o OUT_DIR
        [--input-format auto|jsonl|text] [--text-format line|file] [--shard-size N]
        [--window N] [--batch-size N] [--compress] [--cuda-device D]
        [--workers N] [--threads T] [--ray [ADDRESS]] [--overwrite] [--no-progress]

Writes `OUT_DIR/shard-00000.jsonl`, ... and `OUT_DIR/manifest.json`. Killed at any moment and
started again with the same command, it finishes what is left. Exit status 1, with one line,
for a missing file, a folder holding another command's output, `--ray` without Ray, or a worker
process that died (e.g. killed for memory).
"""

import argparse
import dataclasses
import sys
from concurrent.futures.process import BrokenProcessPool

from stsn_allennlp.extract.manifest import OutputBusyError, OutputMismatchError
from stsn_allennlp.extract.ray_runner import RayMissingError
from stsn_allennlp.extract.run import extract
from stsn_allennlp.extract.settings import LOCAL_RAY, ExtractSettings
from stsn_allennlp.extract.sources import INPUT_FORMATS, TEXT_FORMATS


def parse_settings(argv: list[str] | None = None) -> tuple[ExtractSettings, bool]:
    """
    The extraction's settings from the command line, and whether to draw the progress bar.

    # Parameters

    argv : `Optional[List[str]]`, optional (default = `None`)
        The arguments; `None` reads `sys.argv`.
    """
    defaults = {field.name: field.default for field in dataclasses.fields(ExtractSettings)}
    parser = argparse.ArgumentParser(
        prog="python -m stsn_allennlp.extract",
        description="Predict entities and relations for every record of a corpus into sharded "
        "JSON lines with a manifest; resumable, parallel, optionally on Ray.",
    )
    parser.add_argument("archive", help="the model archive (model.tar.gz) or serialization dir")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="input files (.gz: gzip'ed)")
    parser.add_argument("-o", "--output-dir", required=True, help="where shards and manifest go")
    parser.add_argument(
        "--input-format",
        choices=INPUT_FORMATS,
        default=defaults["input_format"],
        help="auto: .jsonl, .ndjson, .json are the predictor's JSON lines, other files plain "
        "text (default: %(default)s)",
    )
    parser.add_argument(
        "--text-format",
        choices=TEXT_FORMATS,
        default=defaults["text_format"],
        help="plain text: one document per line, or per file (default: %(default)s)",
    )
    for name, what in (
        ("shard_size", "input records per shard: the unit of work and of resuming"),
        ("window", "input records whose sentences are sorted by length together"),
        ("batch_size", "most sentences per forward pass"),
        ("cuda_device", "GPU, or -1 for the CPU"),
        ("workers", "worker processes (or Ray actors), each with the model"),
    ):
        parser.add_argument(
            "--" + name.replace("_", "-"),
            type=int,
            default=defaults[name],
            help=f"{what} (default: {defaults[name]})",
        )
    parser.add_argument(
        "--threads", type=int, help="torch threads per worker (default: cores // workers)"
    )
    parser.add_argument("--compress", action="store_true", help="write .jsonl.gz shards")
    parser.add_argument(
        "--ray",
        nargs="?",
        const=LOCAL_RAY,
        metavar="ADDRESS",
        help="run the workers on Ray: a local instance, or ADDRESS (auto, ray://HEAD:10001)",
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace another command's output in OUT_DIR"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    values = {name: getattr(args, name) for name in defaults if name != "inputs"}
    try:
        settings = ExtractSettings(inputs=tuple(args.inputs), **values)
    except ValueError as error:
        parser.error(str(error))
    return settings, not args.no_progress


def main(argv: list[str] | None = None) -> int:
    """
    Runs the extraction; returns the exit status.

    # Parameters

    argv : `Optional[List[str]]`, optional (default = `None`)
        The arguments; `None` reads `sys.argv`.
    """
    settings, progress = parse_settings(argv)
    try:
        summary = extract(settings, sys.stderr, None if progress else False)
    except (
        FileNotFoundError,
        OutputMismatchError,
        OutputBusyError,
        RayMissingError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except BrokenProcessPool as error:
        print(
            f"error: a worker process died ({error}); what was written is kept: run the same "
            "command again to finish",
            file=sys.stderr,
        )
        return 1
    print(summary.describe(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
