"""`allennlp train` on an `stsn` config: checks first, a quiet console, no leftover run folder.

`checked_training` wraps AllenNLP's `train_model_from_file` (what `allennlp train` calls). For a
config whose model is `stsn`, before AllenNLP makes the run folder or anything is downloaded, it
stops with one line (`CommandError`) on an unknown hidden field of the template or trainer key
(`config_checks`), a missing data file or an encoder that cannot be loaded (`preflight`). It then
prints where the run goes, trains with the quiet console (`console`), and ends with the kept
scores and the files written. A run that stops (an error, Ctrl-C) before its first epoch ended
leaves no run folder behind when this command made it (`--force` included; never with
`--recover`): there is nothing to recover, and the same command works again once fixed.
Other configs go to AllenNLP unchanged.
"""

import functools
import glob
import json
import os
import shutil
import sys
from collections.abc import Callable
from typing import Any

from allennlp.common import Params

from stsn_allennlp.cli import config_checks, preflight
from stsn_allennlp.cli.console import quiet, quiet_console, scores

TrainFromFile = Callable[..., Any]


def check_training_config(parameter_filename: str, config: dict[str, Any]) -> None:
    """
    Every check of an `stsn` training config, in order: hidden fields, trainer keys, data
    files, encoders.

    # Parameters

    parameter_filename : `str`
        The config file.
    config : `Dict[str, Any]`
        The config as AllenNLP reads it, `-o` overrides applied.

    # Raises

    `CommandError` on the first problem found.
    """
    config_checks.check_hidden_fields(parameter_filename, config_checks.template_fields())
    config_checks.check_trainer_keys(parameter_filename, config)
    preflight.check_data_files(parameter_filename, config)
    preflight.check_encoders(parameter_filename, config)


def finished_an_epoch(serialization_dir: str) -> bool:
    """Whether the run folder holds the metrics of a finished epoch."""
    return bool(glob.glob(os.path.join(glob.escape(serialization_dir), "metrics_epoch_*.json")))


def run_summary(serialization_dir: str) -> list[str]:
    """The lines that end a finished run: the kept epoch's scores and where its files are."""
    with open(os.path.join(serialization_dir, "metrics.json")) as file:
        metrics = json.load(file)
    lines = []
    if "best_validation_re_plus_f1_micro" in metrics:
        epoch = metrics.get("best_epoch", 0) + 1
        lines.append(f"kept epoch {epoch}: dev F1 {scores(metrics, 'best_validation_')}")
    if "test_re_plus_f1_micro" in metrics:
        lines.append(f"test F1 {scores(metrics, 'test_')}")
    lines += [
        f"model archive: {os.path.join(serialization_dir, 'model.tar.gz')}",
        f"metrics:       {os.path.join(serialization_dir, 'metrics.json')} (every score)",
        f"full log:      {os.path.join(serialization_dir, 'out.log')}",
    ]
    return lines


def checked_training(train_model_from_file: TrainFromFile) -> TrainFromFile:
    """
    `train_model_from_file` with the checks, the quiet console and the clean-up of an `stsn`
    config (see the module docstring).

    # Parameters

    train_model_from_file : `Callable`
        AllenNLP's `allennlp.commands.train.train_model_from_file`.
    """

    @functools.wraps(train_model_from_file)
    def wrapper(
        parameter_filename: str,
        serialization_dir: str,
        overrides: str | dict[str, Any] = "",
        recover: bool = False,
        force: bool = False,
        **kwargs: Any,
    ) -> Any:
        config = Params.from_file(parameter_filename, overrides).as_dict(quiet=True)
        train = functools.partial(
            train_model_from_file,
            parameter_filename,
            serialization_dir,
            overrides=overrides,
            recover=recover,
            force=force,
            **kwargs,
        )
        if config.get("model", {}).get("type") != "stsn":
            return train()
        check_training_config(str(parameter_filename), config)
        made_here = not recover and (force or not os.path.exists(serialization_dir))
        epochs = config.get("trainer", {}).get("num_epochs")
        with quiet_console():
            if quiet():
                print(
                    f"training {parameter_filename} for {epochs} epochs into {serialization_dir} "
                    f"(full log: {os.path.join(serialization_dir, 'out.log')})",
                    flush=True,
                )
            try:
                model = train()
            except BaseException:
                if made_here and not finished_an_epoch(str(serialization_dir)):
                    shutil.rmtree(serialization_dir, ignore_errors=True)
                    print(
                        f"removed {serialization_dir}: the run stopped before its first epoch "
                        "ended, so there is nothing to --recover; run the same command again",
                        file=sys.stderr,
                    )
                raise
            if quiet() and not kwargs.get("dry_run"):
                print("\n".join(run_summary(str(serialization_dir))), flush=True)
        return model

    wrapper.stsn_wrapped = True  # type: ignore[attr-defined]
    return wrapper
