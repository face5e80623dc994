"""The console of `allennlp train` on an `stsn` config: what a person follows, while the full log
(every parameter, the first batch's tensors, warnings of the libraries) goes to the run folder's
`out.log` as before.

While `STSN_QUIET_CONSOLE` is set (the train command sets it for its run), AllenNLP's logging
set-up (`prepare_global_logging`) gets a `ConsoleHandler` instead of its INFO handler on stdout:
one line per finished epoch (training loss; dev loss and micro F1 of NER, RE and RE+) and the
warnings of AllenNLP and this package. Errors still go to stderr. Python warnings and the
transformers library's own messages go to `out.log` only. Progress bars are drawn on a terminal
only (none in a pipe or a file), at most 120 columns wide, with the micro F1 of NER, RE and RE+
and the loss (`NER 84.2, RE 70.1, RE+ 65.4, loss 0.722`), and vanish when done.
`STSN_VERBOSE=1` keeps AllenNLP's console.
"""

import contextlib
import json
import logging
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from typing import Any, cast

from allennlp.common import logging as common_logging
from allennlp.common.tqdm import Tqdm
from allennlp.training import util as training_util

QUIET = "STSN_QUIET_CONSOLE"
VERBOSE = "STSN_VERBOSE"
MAX_COLUMNS = 120
TRAINER_LOGGER = "allennlp.training.gradient_descent_trainer"
HEADLINE = (("NER", "ner_f1_micro"), ("RE", "re_f1_micro"), ("RE+", "re_plus_f1_micro"))
"""The scores of the bar and of the epoch lines: micro F1 of NER, RE and RE+."""
# AllenNLP's notices that hold by design here: `_`-scores stay out of the bar (see
# JointExtractionMetric), and the configs train every epoch (no patience)
_NOTICES = (
    'Metrics with names beginning with "_"',
    "You provided a validation dataset but patience was set to None",
)


def quiet() -> bool:
    """Whether the quiet console is on (`STSN_QUIET_CONSOLE` set, `STSN_VERBOSE` not)."""
    return bool(os.environ.get(QUIET)) and not os.environ.get(VERBOSE)


@contextlib.contextmanager
def quiet_console() -> Iterator[None]:
    """Turns the quiet console on for the block (in spawned training workers too, through the
    environment), unless `STSN_VERBOSE` is set."""
    previous = os.environ.get(QUIET)
    os.environ[QUIET] = "1"
    # AllenNLP's start-up handler (INFO on stderr) until its logging set-up replaces it
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if quiet() and not isinstance(handler, logging.FileHandler)
    ]
    levels = [handler.level for handler in handlers]
    for handler in handlers:
        handler.setLevel(max(handler.level, logging.WARNING))
    try:
        yield
    finally:
        for handler, level in zip(handlers, levels):
            handler.setLevel(level)
        if previous is None:
            del os.environ[QUIET]
        else:
            os.environ[QUIET] = previous


def scores(metrics: dict[str, Any], prefix: str) -> str:
    """`NER 84.2  RE 70.1  RE+ 65.4` from the micro F1 scores under `prefix` (e.g. `validation_`)."""
    return "  ".join(f"{name} {metrics[prefix + key]:5.1f}" for name, key in HEADLINE)


def epoch_line(metrics: dict[str, Any], last_epoch: int, duration: str) -> str:
    """
    One finished epoch as one line.

    # Parameters

    metrics : `Dict[str, Any]`
        The epoch's `metrics_epoch_{N}.json`.
    last_epoch : `int`
        The run's last epoch (from 0).
    duration : `str`
        The epoch's duration, as AllenNLP logs it (`0:00:46.12`).
    """
    line = f"epoch {metrics['epoch'] + 1:>3}/{last_epoch + 1}  train loss {metrics['training_loss']:.3f}"
    if "validation_loss" in metrics:
        line += (
            f"  dev loss {metrics['validation_loss']:.3f}  dev F1 {scores(metrics, 'validation_')}"
        )
    return f"{line}  ({duration.split('.')[0]})"


def bar_description(metrics: dict[str, float]) -> str:
    """The progress bar's description: micro F1 of NER, RE and RE+ (when validating) and the loss."""
    parts = [f"{name} {metrics[key]:.1f}" for name, key in HEADLINE if key in metrics]
    if "loss" in metrics:
        parts.append(f"loss {metrics['loss']:.3f}")
    return ", ".join(parts) + " |"


class ConsoleHandler(logging.Handler):
    """
    The quiet console's handler on the root logger: a line per finished epoch (read from the
    epoch's `metrics_epoch_{N}.json`), and the warnings of AllenNLP and this package.

    # Parameters

    serialization_dir : `str`
        The run folder.
    """

    def __init__(self, serialization_dir: str) -> None:
        super().__init__(logging.INFO)
        self._serialization_dir = serialization_dir
        self._epoch = self._last_epoch = 0

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.line(record)
        except Exception:
            self.handleError(record)
            return
        if line is not None:
            print(line, flush=True)

    def line(self, record: logging.LogRecord) -> str | None:
        """What the console shows of a record, if anything."""
        if record.name == TRAINER_LOGGER and record.msg == "Epoch %d/%d":
            self._epoch, self._last_epoch = cast(tuple[int, int], record.args)
        elif record.name == TRAINER_LOGGER and str(record.msg).startswith("Epoch duration"):
            path = os.path.join(self._serialization_dir, f"metrics_epoch_{self._epoch}.json")
            if os.path.exists(path):
                with open(path) as file:
                    metrics = json.load(file)
                return epoch_line(metrics, self._last_epoch, str(record.args[0]))  # type: ignore
        elif (
            logging.WARNING <= record.levelno < logging.ERROR
            and record.name.startswith(("allennlp", "stsn_allennlp"))
            and not record.getMessage().startswith(_NOTICES)
        ):
            return f"warning: {record.getMessage()}"
        return None


def install() -> None:
    """Wraps AllenNLP's logging set-up, its progress bars and their description (once); each
    wrapper does what AllenNLP does unless the quiet console is on."""
    common_logging.prepare_global_logging = _quiet_logging(common_logging.prepare_global_logging)
    training_util.description_from_metrics = _quiet_description(
        training_util.description_from_metrics
    )
    Tqdm.tqdm = staticmethod(_quiet_bars(Tqdm.tqdm))  # type: ignore[method-assign]


def _quiet_logging(prepare: Callable[..., None]) -> Callable[..., None]:
    def prepare_global_logging(serialization_dir: str, rank: int = 0, world_size: int = 1) -> None:
        prepare(serialization_dir, rank, world_size)
        if not quiet():
            return
        root = logging.getLogger()
        for handler in list(root.handlers):
            if type(handler) is logging.StreamHandler and handler.stream is sys.stdout:
                root.removeHandler(handler)
        if rank == 0:
            root.addHandler(ConsoleHandler(str(serialization_dir)))
        logging.captureWarnings(True)
        import transformers

        transformers.logging.disable_default_handler()
        transformers.logging.enable_propagation()

    return prepare_global_logging


def _quiet_description(describe: Callable[[dict[str, float]], str]) -> Callable[..., str]:
    def description_from_metrics(metrics: dict[str, float]) -> str:
        return bar_description(metrics) if quiet() else describe(metrics)

    return description_from_metrics


def _quiet_bars(make_bar: Callable[..., Any]) -> Callable[..., Any]:
    def tqdm(*args: Any, **kwargs: Any) -> Any:
        if quiet():
            columns = shutil.get_terminal_size((MAX_COLUMNS, 24)).columns
            kwargs = {
                "leave": False,
                "ncols": min(MAX_COLUMNS, columns),
                "disable": not sys.stderr.isatty(),
                **kwargs,
            }
        return make_bar(*args, **kwargs)

    return tqdm
