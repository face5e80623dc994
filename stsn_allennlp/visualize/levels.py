"""Stacking intervals in levels so that none overlaps another of its level: how arcs above a
sentence (and entity boxes below it) stay readable however many there are. Plain Python."""

from collections.abc import Sequence

Interval = tuple[float, float]
"""A horizontal extent `(left, right)`, `left <= right`, in any unit (the page uses pixels)."""


def assign_levels(intervals: Sequence[Interval], gap: float = 0.0) -> list[int]:
    """
    The level (0 = nearest the words) of each interval, such that two intervals of one level are
    at least `gap` apart. Shorter intervals are placed first, each at the lowest level where it
    fits (ties: the leftmost first), so short arcs stay low and long arcs span above them, as in
    dependency-parse drawings; the result does not depend on the input's order.

    # Parameters

    intervals : `Sequence[Interval]`
        `(left, right)` of each item.
    gap : `float`, optional (default = `0.0`)
        The least distance between two intervals of one level; touching intervals (distance 0)
        share a level when `gap` is 0.

    # Returns

    `List[int]`
        The level of each interval, in the input's order.
    """
    order = sorted(
        range(len(intervals)),
        key=lambda index: (intervals[index][1] - intervals[index][0], intervals[index]),
    )
    placed: list[list[Interval]] = []
    levels = [0] * len(intervals)
    for index in order:
        left, right = intervals[index]
        level = next(
            (
                number
                for number, members in enumerate(placed)
                if all(
                    right + gap <= other_left or other_right + gap <= left
                    for other_left, other_right in members
                )
            ),
            len(placed),
        )
        if level == len(placed):
            placed.append([])
        placed[level].append((left, right))
        levels[index] = level
    return levels
