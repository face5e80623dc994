"""A trainer callback that simulates a preemption, for the `--recover` test. Registered when this
module is imported (`--include-package tests.training_config.interrupt`)."""

from pathlib import Path
from typing import Any

from allennlp.common.util import SigTermReceived
from allennlp.training.callbacks import TrainerCallback

TRAINED_BATCHES = "trained_batches.txt"


@TrainerCallback.register("interrupt_once_for_tests")
class InterruptOnce(TrainerCallback):
    """
    Raises `SigTermReceived` (what AllenNLP raises on SIGTERM) after the first training batch of
    `epoch`, the first time only, and logs every other training batch as `epoch batch` lines in
    `trained_batches.txt` of the serialization folder.

    # Parameters

    serialization_dir : `str`
        Supplied by the trainer.
    epoch : `int`
        The epoch to interrupt.
    """

    def __init__(self, serialization_dir: str, epoch: int) -> None:
        super().__init__(serialization_dir)
        self._epoch = epoch
        self._folder = Path(serialization_dir)

    def on_batch(  # type: ignore[override]
        self,
        trainer: Any,
        batch_inputs: Any,
        batch_outputs: Any,
        batch_metrics: Any,
        epoch: int,
        batch_number: int,
        is_training: bool,
        is_primary: bool = True,
        **kwargs: Any,
    ) -> None:
        if not is_training:
            return
        marker = self._folder / "interrupted"
        if epoch == self._epoch and not marker.exists():
            marker.touch()
            raise SigTermReceived()
        with open(self._folder / TRAINED_BATCHES, "a") as log:
            log.write(f"{epoch} {batch_number}\n")
