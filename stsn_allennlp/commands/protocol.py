"""
Runs one of the paper's protocols (`stsn_allennlp.experiments.protocols` describes them):

    python -m stsn_allennlp.experiments.protocol CONFIG -s OUTPUT_DIR
        [--folds N [--first-fold K]] [--seeds SEED ...] [--top-k K] [--rank-by METRIC]
        [--split {test,validation}] [-o OVERRIDES] [--include-package PACKAGE ...]
"""

import argparse
import logging
import sys
from pathlib import Path

from allennlp.common.checks import ConfigurationError
from allennlp.common.params import parse_overrides
from allennlp.common.util import import_module_and_submodules

from stsn_allennlp.experiments.protocols import ProtocolError, run_protocol
from stsn_allennlp.experiments.report import markdown_report
from stsn_allennlp.experiments.statistics import SPLIT_PREFIXES


def main(argv: list[str] | None = None) -> int:
    """
    Runs the command; returns its exit status.

    # Parameters

    argv : `Optional[List[str]]`, optional (default = `None`)
        The arguments; `None` reads `sys.argv`.
    """
    parser = argparse.ArgumentParser(
        prog="python -m stsn_allennlp.experiments.protocol",
        description="Train a config over folds and/or seeds and report the mean, the standard "
        "deviation and the top-k mean of every metric (results.json, results.md).",
    )
    parser.add_argument("config", help="the jsonnet config, e.g. training_config/ade.jsonnet")
    parser.add_argument(
        "-s",
        "--serialization-dir",
        required=True,
        type=Path,
        help="the protocol's folder; each run trains in a folder inside",
    )
    parser.add_argument(
        "--folds", type=int, help="cross-validate over folds 0..N-1 (the config's fold:: field)"
    )
    parser.add_argument(
        "--first-fold",
        type=int,
        default=0,
        help="with --folds: train folds K..N-1 only (to add folds to a recorded cross-validation)",
    )
    parser.add_argument("--seeds", type=int, nargs="+", metavar="SEED", help="train once per seed")
    parser.add_argument("--top-k", type=int, help="with --seeds: also average the K best seeds")
    parser.add_argument(
        "--rank-by",
        default="re_plus_f1_micro",
        help="the metric that ranks the seeds for --top-k (default: re_plus_f1_micro)",
    )
    parser.add_argument(
        "--split",
        default="test",
        choices=sorted(SPLIT_PREFIXES),
        help="report the test scores (default) or the kept epoch's validation scores",
    )
    parser.add_argument(
        "-o",
        "--overrides",
        default="",
        help="overrides of every run, as for allennlp train (a JSON or jsonnet object)",
    )
    parser.add_argument(
        "--include-package",
        action="extend",
        nargs="+",
        default=[],
        metavar="PACKAGE",
        help="further packages to import (repeatable)",
    )
    args = parser.parse_args(argv)

    logging.basicConfig(
        format="%(asctime)s - %(levelname)s - %(name)s - %(message)s", level=logging.INFO
    )
    for package in args.include_package:
        import_module_and_submodules(package)
    try:
        report = run_protocol(
            args.config,
            args.serialization_dir,
            folds=args.folds,
            first_fold=args.first_fold,
            seeds=args.seeds,
            split=args.split,
            top_k=args.top_k,
            rank_by=args.rank_by,
            overrides=parse_overrides(args.overrides),
            include_package=["stsn_allennlp.components", *args.include_package],
        )
    except (ProtocolError, ConfigurationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(markdown_report(report))
    return 0
