"""Values kept by object identity between runs: reused for the same object, recomputed for an equal copy."""

from __future__ import annotations

from generator.memo import ByIdentity


def test_the_same_object_is_computed_once_and_an_equal_copy_again() -> None:
    calls: list[list[int]] = []

    def total(xs: list[int]) -> int:
        calls.append(xs)
        return sum(xs)

    memo: ByIdentity[list[int], int] = ByIdentity(total)
    a, b = [1, 2], [1, 2]
    assert memo(a) == 3 and memo(a) == 3
    assert memo(b) == 3
    assert calls == [a, b] and calls[0] is a and calls[1] is b


def test_a_run_keeps_only_what_the_run_before_asked_for() -> None:
    calls: list[str] = []

    def first(xs: list[str]) -> str:
        calls.append(xs[0])
        return xs[0]

    memo: ByIdentity[list[str], str] = ByIdentity(first)
    old, kept = ["old"], ["kept"]
    memo(old)
    memo(kept)
    memo.new_run()
    memo(kept)  # asked for again: carried into this run
    memo.new_run()
    memo(kept)
    memo(old)  # not asked for in the run between: computed afresh
    assert calls == ["old", "kept", "old"]
