"""The paper's learning-rate schedule: linear decay with a warm-up given as a fraction of training."""

import torch
from allennlp.training.learning_rate_schedulers import LearningRateScheduler, LinearWithWarmup


@LearningRateScheduler.register("linear_with_warmup_ratio")
class LinearWithWarmupRatio(LinearWithWarmup):
    """
    AllenNLP's `linear_with_warmup` with the warm-up expressed as a fraction of all training steps
    (the paper warms up over the first 10%), so a config need not know the dataset size.

    Registered as a `LearningRateScheduler` with name "linear_with_warmup_ratio".

    # Parameters

    optimizer : `torch.optim.Optimizer`
        Supplied by the trainer.
    num_epochs : `int`
        Supplied by the trainer.
    num_steps_per_epoch : `int`
        Supplied by the trainer (the data loader must know its length).
    warmup_ratio : `float`, optional (default = `0.1`)
        The fraction of all steps over which the learning rate rises linearly from zero.
    last_epoch : `int`, optional (default = `-1`)
        The index of the last epoch, when resuming training.
    """

    def __init__(
        self,
        optimizer: torch.optim.Optimizer,
        num_epochs: int,
        num_steps_per_epoch: int,
        warmup_ratio: float = 0.1,
        last_epoch: int = -1,
    ) -> None:
        if not 0.0 <= warmup_ratio < 1.0:
            raise ValueError(f"warmup_ratio must lie in [0, 1), got {warmup_ratio}")
        warmup_steps = int(warmup_ratio * num_epochs * num_steps_per_epoch)
        super().__init__(
            optimizer,
            num_epochs=num_epochs,
            num_steps_per_epoch=num_steps_per_epoch,
            warmup_steps=warmup_steps,
            last_epoch=last_epoch,
        )
