"""Summing `JointCounts` across distributed workers: gather the type names, then reduce the counts."""

import copy
from collections import Counter

import torch
import torch.distributed as dist
from allennlp.common.util import is_distributed
from allennlp.nn.util import dist_reduce_sum

from stsn_allennlp.core.scoring import JointCounts, TypeCounts

_FIELDS = ("true_positives", "predicted", "gold")


def sum_across_workers(counts: JointCounts) -> JointCounts:
    """
    The counts summed over all workers of the process group; `counts` itself is left alone.

    Workers may have seen different types, so the type names are gathered first
    (`all_gather_object`) and their sorted union fixes one row per `(task, type)` on every worker;
    the aligned count matrices are then summed with one `all_reduce`. Collective: every worker must
    call it. Outside a process group it returns a copy of `counts`.

    # Parameters

    counts : `JointCounts`
        This worker's counts.
    """
    if not is_distributed():
        return copy.deepcopy(counts)
    local_types = {name: task.types() for name, task in counts.tasks().items()}
    gathered: list[dict[str, list[str]]] = [{} for _ in range(dist.get_world_size())]
    dist.all_gather_object(gathered, local_types)
    all_types = {
        name: sorted({label for worker in gathered for label in worker[name]})
        for name in local_types
    }
    # AllenNLP's reduction moves the rows to the backend's device (CUDA under nccl) and back
    return _from_rows(all_types, dist_reduce_sum(_rows(counts, all_types)).cpu())


def _rows(counts: JointCounts, types: dict[str, list[str]]) -> torch.Tensor:
    """One row of `_FIELDS` counts per `(task, type)`, in the order of `types`."""
    rows = [
        [getattr(task, name)[label] for name in _FIELDS]
        for task_name, task in counts.tasks().items()
        for label in types[task_name]
    ]
    return torch.tensor(rows, dtype=torch.long).view(-1, len(_FIELDS))


def _from_rows(types: dict[str, list[str]], rows: torch.Tensor) -> JointCounts:
    """The inverse of `_rows`."""
    values = iter(rows.tolist())
    tasks = {}
    for task_name in types:
        per_field: dict[str, Counter] = {name: Counter() for name in _FIELDS}
        for label in types[task_name]:
            for name, value in zip(_FIELDS, next(values)):
                if value:
                    per_field[name][label] = value
        tasks[task_name] = TypeCounts(**per_field)
    return JointCounts(**tasks)
