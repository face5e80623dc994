"""What `allennlp train`, `evaluate` and `predict` do differently when this plugin is loaded.

`.allennlp_plugins` names this module beside the package, so the `allennlp` command imports it
(`import stsn_allennlp` alone changes nothing). AllenNLP parses the command line before it imports
any plugin, so a plugin cannot replace a subcommand; `install` instead wraps the module functions
that the three subcommands call, and each wrapper still calls AllenNLP's own:

- `allennlp train` (`allennlp.commands.train.train_model_from_file`; `stsn_allennlp.cli.train`):
  on an `stsn` config, checks the config (unknown hidden fields of the template, unknown trainer
  keys), the data files and the encoder before any folder is made or anything is downloaded,
  keeps the console quiet while the full log goes to the run folder (`stsn_allennlp.cli.console`),
  and removes the run folder it made when the run stops before its first epoch ends;
- `allennlp evaluate` (`allennlp.commands.evaluate.evaluate_from_archive`): prints the headline
  scores at the end (`stsn_allennlp.cli.evaluate`);
- `allennlp predict` (`allennlp.commands.predict._PredictManager`): with the `stsn` predictor,
  numbers input lines as the file does, blank lines included (`stsn_allennlp.cli.predict`).

A `CommandError` (a mistake these checks find) is printed as one line on stderr, exit status 1.
"""

import sys
from collections.abc import Callable
from types import TracebackType

# aliases: this package's submodules `train`, `evaluate` and `predict` take the plain names
from allennlp.commands import evaluate as allennlp_evaluate
from allennlp.commands import predict as allennlp_predict
from allennlp.commands import train as allennlp_train

from stsn_allennlp.cli import console
from stsn_allennlp.cli.errors import CommandError
from stsn_allennlp.cli.evaluate import printing_headline
from stsn_allennlp.cli.predict import NumberedPredictManager
from stsn_allennlp.cli.train import checked_training

__all__ = ["CommandError", "install"]

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


def install() -> None:
    """Wraps AllenNLP's command functions, once, and prints a `CommandError` as one line."""
    if getattr(allennlp_train.train_model_from_file, "stsn_wrapped", False):
        return
    allennlp_train.train_model_from_file = checked_training(allennlp_train.train_model_from_file)
    allennlp_evaluate.evaluate_from_archive = printing_headline(
        allennlp_evaluate.evaluate_from_archive
    )
    allennlp_predict._PredictManager = NumberedPredictManager  # type: ignore[misc]
    console.install()
    sys.excepthook = _one_line_errors(sys.excepthook)


def _one_line_errors(previous: ExceptHook) -> ExceptHook:
    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if isinstance(error, CommandError):
            print(f"error: {error}", file=sys.stderr)
        else:
            previous(kind, error, trace)

    return hook


install()
