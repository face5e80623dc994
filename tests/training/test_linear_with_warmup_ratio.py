"""The `linear_with_warmup_ratio` schedule: the warm-up lasts `warmup_ratio` of all training steps
(ratio x epochs x steps per epoch), then the rate decays linearly to zero."""

from itertools import pairwise

import pytest
import torch
from allennlp.common import Params
from allennlp.training.learning_rate_schedulers import LearningRateScheduler

import stsn_allennlp.components  # noqa: F401  (registers the scheduler)

BASE_RATE = 1.0
# (warmup_ratio, num_epochs, num_steps_per_epoch): warm-up steps; each factor moves the peak, and
# a fraction of a step is dropped
SCHEDULES = {
    (0.25, 4, 5): 5,
    (0.1, 4, 5): 2,
    (0.25, 8, 5): 10,
    (0.25, 4, 3): 3,
    (0.1, 3, 7): 2,
    (0.0, 4, 5): 0,
}


def learning_rates(warmup_ratio: float, num_epochs: int, num_steps_per_epoch: int) -> list[float]:
    """
    The learning rate after each number of training batches, from none to all of them, of the
    scheduler as the trainer builds it from a config over an SGD optimizer of one parameter.
    """
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=BASE_RATE)
    scheduler = LearningRateScheduler.from_params(
        Params({"type": "linear_with_warmup_ratio", "warmup_ratio": warmup_ratio}),
        optimizer=optimizer,
        num_epochs=num_epochs,
        num_steps_per_epoch=num_steps_per_epoch,
    )
    rates = [optimizer.param_groups[0]["lr"]]
    for _ in range(num_epochs * num_steps_per_epoch):
        optimizer.step()
        scheduler.step_batch()
        rates.append(optimizer.param_groups[0]["lr"])
    return rates


@pytest.mark.parametrize("schedule, warmup", SCHEDULES.items())
def test_the_rate_peaks_at_the_base_rate_after_the_warm_up_steps(schedule, warmup):
    rates = learning_rates(*schedule)
    assert rates.index(max(rates)) == warmup
    assert rates[warmup] == pytest.approx(BASE_RATE)


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_the_rate_rises_up_to_its_peak_and_falls_after_it(schedule):
    rates = learning_rates(*schedule)
    peak = rates.index(max(rates))
    rising, falling = rates[: peak + 1], rates[peak:]
    assert all(before < after for before, after in pairwise(rising))
    assert all(before > after for before, after in pairwise(falling))


@pytest.mark.parametrize("ratio", [-0.1, 1.0])
def test_a_ratio_outside_zero_to_one_is_refused(ratio):
    with pytest.raises(ValueError, match="warmup_ratio must lie in"):
        learning_rates(ratio, 4, 5)
