"""Cross-validation folds: every sentence is tested in exactly one fold and trained on in the
others, the folds are balanced, and the split depends on the seed alone."""

import pytest

from stsn_allennlp.core import read_spert
from stsn_allennlp.core.cross_validation import fold_assignment, split_fold, write_folds
from tests import FIXTURE_DATA


def test_each_item_is_in_one_fold_and_the_fold_sizes_differ_by_at_most_one():
    folds = fold_assignment(23, 5)
    assert sorted(set(folds)) == [0, 1, 2, 3, 4]
    sizes = [folds.count(fold) for fold in range(5)]
    assert sorted(sizes) == [4, 4, 5, 5, 5]  # 23 = 3 * 5 + 2 * 4


def test_the_assignment_depends_on_the_seed_and_on_nothing_else():
    assert fold_assignment(50, 5, seed=1) == fold_assignment(50, 5, seed=1)
    assert fold_assignment(50, 5, seed=1) != fold_assignment(50, 5, seed=2)


def test_a_fold_trains_on_the_others_and_tests_on_itself_in_the_given_order():
    items = list("abcdefgh")
    folds = [0, 1, 0, 1, 1, 0, 1, 0]
    assert split_fold(items, folds, 0) == (list("bdeg"), list("acfh"))


@pytest.mark.parametrize("num_folds", [1, 9])
def test_a_number_of_folds_that_cannot_split_the_items_is_refused(num_folds):
    with pytest.raises(ValueError, match=r"num_folds must lie in \[2, 8\]"):
        fold_assignment(8, num_folds)


def test_written_folds_partition_the_sentences(tmp_path):
    sentences = read_spert(FIXTURE_DATA / "spert_train.json") + read_spert(
        FIXTURE_DATA / "spert_dev.json"
    )
    counts = write_folds(sentences, tmp_path, "set", 3)
    assert sorted(counts) == sorted(
        f"set_{fold}_{part}.json" for fold in range(3) for part in ("train", "test")
    )

    def key(sentence):
        return (tuple(sentence.tokens), tuple(sentence.entities), tuple(sentence.relations))

    everything = sorted(key(sentence) for sentence in sentences)
    tested = []
    for fold in range(3):
        train = [key(s) for s in read_spert(tmp_path / f"set_{fold}_train.json")]
        test = [key(s) for s in read_spert(tmp_path / f"set_{fold}_test.json")]
        assert sorted(train + test) == everything
        assert counts[f"set_{fold}_test.json"] == len(test)
        tested += test
    assert sorted(tested) == everything
