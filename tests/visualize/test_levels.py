from itertools import permutations

from stsn_allennlp.visualize.levels import assign_levels


def _overlaps_within_level(intervals, levels, gap):
    return [
        (a, b)
        for a in range(len(intervals))
        for b in range(a + 1, len(intervals))
        if levels[a] == levels[b]
        and not (
            intervals[a][1] + gap <= intervals[b][0] or intervals[b][1] + gap <= intervals[a][0]
        )
    ]


def test_disjoint_intervals_share_the_lowest_level():
    assert assign_levels([(0, 10), (20, 30), (40, 50)]) == [0, 0, 0]


def test_nested_intervals_stack_shortest_lowest():
    assert assign_levels([(0, 100), (10, 20), (5, 50)]) == [2, 0, 1]


def test_gap_separates_touching_intervals():
    assert assign_levels([(0, 10), (10, 20)]) == [0, 0]
    assert assign_levels([(0, 10), (10, 20)], gap=1) == [0, 1]


def test_no_level_holds_two_overlapping_intervals_and_order_does_not_matter():
    intervals = [(0, 40), (30, 70), (60, 90), (5, 15), (35, 45), (80, 200), (0, 200), (100, 120)]
    levels = assign_levels(intervals, gap=2)
    assert _overlaps_within_level(intervals, levels, 2) == []
    assert max(levels) < len(intervals) - 2  # stacking reuses levels
    for order in list(permutations(range(len(intervals))))[:50]:
        shuffled = [intervals[i] for i in order]
        assert assign_levels(shuffled, gap=2) == [levels[i] for i in order]


def test_empty():
    assert assign_levels([]) == []
