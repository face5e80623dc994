"""A data loader that re-reads its data every epoch, so that sampled negatives are fresh each time."""

from collections import deque
from collections.abc import Iterator
from typing import Any

from allennlp.common.checks import ConfigurationError
from allennlp.data import DataLoader, TensorDict
from allennlp.data.data_loaders import MultiProcessDataLoader


@DataLoader.register("stsn_resampling")
class ResamplingDataLoader(MultiProcessDataLoader):
    """
    AllenNLP's `multiprocess` loader, in-process and caching its instances (so the number of batches
    per epoch is known, as learning-rate schedules need), except that before every epoch after the
    first it tells the reader the epoch (`reader.set_epoch(epoch)`, when the reader has it) and reads
    the data again. A reader that samples negatives from the epoch then gives fresh negative spans
    and pairs each epoch, as SpERT does, and the same ones for the same epoch in every run.

    Registered as a `DataLoader` with name "stsn_resampling". It takes the parameters of
    `MultiProcessDataLoader`; `num_workers` must be 0 and `max_instances_in_memory` unset (on 2 CPU
    cores, worker processes made a SpERT epoch 28% slower and doubled peak memory).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # (mypy cannot infer the types of MultiProcessDataLoader's untyped attributes)
        if self.num_workers != 0 or self.max_instances_in_memory is not None:  # type: ignore[has-type]
            raise ConfigurationError(
                "stsn_resampling reads in-process and caches each epoch's instances: "
                "leave num_workers at 0 and max_instances_in_memory unset"
            )
        self._epoch = 0

    def __iter__(self) -> Iterator[TensorDict]:
        reader: Any = self.reader  # type: ignore[has-type]
        if self._epoch > 0 and hasattr(reader, "set_epoch"):
            reader.set_epoch(self._epoch)
            self._instances = None
            deque(self.iter_instances(), maxlen=0)
        self._epoch += 1
        yield from super().__iter__()
