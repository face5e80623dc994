"""Starting multiprocessing workers by fork, for the tests of distributed code."""

from collections.abc import Callable
from typing import Any

import torch
import torch.multiprocessing as mp


def start_forked(
    function: Callable[..., Any],
    args: tuple = (),
    nprocs: int = 1,
    join: bool = True,
    **kwargs: Any,
) -> Any:
    """
    `torch.multiprocessing.spawn`, forking the workers instead: they inherit this interpreter's
    imports, where spawned ones spend seconds importing torch and AllenNLP again. Each worker runs
    single-threaded, as the OpenMP thread pool that the test process has used does not survive a
    fork (a forked worker that enters it hangs).

    # Parameters

    function : `Callable[..., Any]`
        Called as `function(rank, *args)` in each worker.
    args : `tuple`, optional (default = `()`)
        The arguments after the rank.
    nprocs : `int`, optional (default = `1`)
        The number of workers.
    join : `bool`, optional (default = `True`)
        Whether to wait for the workers.
    """
    return mp.start_processes(
        _single_threaded, args=(function, *args), nprocs=nprocs, join=join, start_method="fork"
    )


def _single_threaded(rank: int, function: Callable[..., Any], *args: Any) -> None:
    torch.set_num_threads(1)
    function(rank, *args)
