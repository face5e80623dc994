"""Summing `JointCounts` across distributed workers with plain `torch.distributed`."""
import copy
from collections import Counter
from typing import Dict, List

import torch
import torch.distributed as dist

from stsn_allennlp.metrics.scoring import JointCounts, TypeCounts

_FIELDS = ("true_positives", "predicted", "gold")


def is_distributed() -> bool:
    """Whether this process belongs to an initialised process group."""
    return dist.is_available() and dist.is_initialized()


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
    gathered: List[Dict[str, List[str]]] = [{} for _ in range(dist.get_world_size())]
    dist.all_gather_object(gathered, local_types)
    all_types = {
        name: sorted({label for worker in gathered for label in worker[name]})
        for name in local_types
    }
    device = (
        torch.device("cuda", torch.cuda.current_device())
        if dist.get_backend() == "nccl"
        else torch.device("cpu")
    )
    rows = _rows(counts, all_types).to(device)
    dist.all_reduce(rows, op=dist.ReduceOp.SUM)
    return _from_rows(all_types, rows.cpu())


def _rows(counts: JointCounts, types: Dict[str, List[str]]) -> torch.Tensor:
    """One row of `_FIELDS` counts per `(task, type)`, in the order of `types`."""
    rows = [
        [getattr(task, name)[label] for name in _FIELDS]
        for task_name, task in counts.tasks().items()
        for label in types[task_name]
    ]
    return torch.tensor(rows, dtype=torch.long).view(-1, len(_FIELDS))


def _from_rows(types: Dict[str, List[str]], rows: torch.Tensor) -> JointCounts:
    """The inverse of `_rows`."""
    values = iter(rows.tolist())
    tasks = {}
    for task_name in types:
        per_field: Dict[str, Counter] = {name: Counter() for name in _FIELDS}
        for label in types[task_name]:
            for name, value in zip(_FIELDS, next(values)):
                if value:
                    per_field[name][label] = value
        tasks[task_name] = TypeCounts(**per_field)
    return JointCounts(**tasks)
