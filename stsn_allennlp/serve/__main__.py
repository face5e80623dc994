"""Serve a model over HTTP.

    python -m stsn_allennlp.serve MODEL.tar.gz [--host 127.0.0.1] [--port 8000] [--workers N]
        [--max-body-bytes B] [--max-sentences S] [--max-words W] [--timeout SECONDS]
        [--max-batch SENTENCES] [--model-batch SENTENCES]
        [--batch-wait SECONDS] [--cuda-device D]

Binds 127.0.0.1 unless told otherwise. Each of the N worker processes loads the model; Ctrl-C or
SIGTERM stops them all. A missing archive ends the command at once with exit status 1.
"""

import argparse
import dataclasses
import os
import sys

import uvicorn

from stsn_allennlp.serve.settings import ServeSettings

FACTORY = "stsn_allennlp.serve.app:app_from_environment"


def parse_settings(argv: list[str] | None = None) -> tuple[argparse.Namespace, ServeSettings]:
    """
    The command's options, and the server's settings from them.

    # Parameters

    argv : `Optional[List[str]]`, optional (default = `None`)
        The arguments; `None` reads `sys.argv`.
    """
    defaults = {field.name: field.default for field in dataclasses.fields(ServeSettings)}
    parser = argparse.ArgumentParser(
        prog="python -m stsn_allennlp.serve",
        description="Serve an STSN model: POST /predict, GET /health, GET /info, "
        "/openapi.json, and a live page at /.",
    )
    parser.add_argument("archive", help="the model archive (model.tar.gz) or serialization dir")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    parser.add_argument(
        "--workers", type=int, default=1, help="processes, each with the model (default: 1)"
    )
    for name, kind, what in (
        ("max_body_bytes", int, "largest request body, bytes (413 above)"),
        ("max_sentences", int, "most sentences per request (413 above)"),
        ("max_words", int, "most words per request (413 above)"),
        ("timeout", float, "seconds a prediction may take, queueing included (503 after)"),
        ("max_batch", int, "most sentences of concurrent requests per predictor call"),
        ("model_batch", int, "most sentences per forward pass (sorted by length)"),
        ("batch_wait", float, "seconds a model call waits for more requests to join it"),
        ("cuda_device", int, "GPU, or -1 for the CPU"),
    ):
        parser.add_argument(
            "--" + name.replace("_", "-"),
            type=kind,
            default=defaults[name],
            help=f"{what} (default: {defaults[name]})",
        )
    args = parser.parse_args(argv)
    values = {name: getattr(args, name) for name in defaults if name != "archive"}
    try:
        settings = ServeSettings(archive=args.archive, **values)
    except ValueError as error:
        parser.error(str(error))
    return args, settings


def main(argv: list[str] | None = None) -> int:
    """
    Runs the server until it is stopped; returns the exit status.

    # Parameters

    argv : `Optional[List[str]]`, optional (default = `None`)
        The arguments; `None` reads `sys.argv`.
    """
    args, settings = parse_settings(argv)
    if not os.path.exists(settings.archive):
        print(f"error: {settings.archive}: no such model archive", file=sys.stderr)
        return 1
    settings.to_environment()
    print(
        f"serving {settings.archive} at http://{args.host}:{args.port}/ (API: POST /predict, "
        "GET /health, GET /info, /openapi.json)",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(FACTORY, factory=True, host=args.host, port=args.port, workers=args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
