"""Three-way merge of keyed sequences: the order and the outcome of every key. Pure.

The SQL merge works on sequences whose items have a key unique within each sequence (the
database object a statement is about, a column of a table). Two questions are answered
separately:

- what becomes of each key (``merge_values``): unchanged on one side takes the other, the
  same change on both is taken once, a deletion on one side of an unchanged item deletes
  it, anything else is handed to a resolver, which may merge or call it a conflict;
- where each surviving key goes (``merged_order``): a diff3 of the three key sequences, so
  an item added on one side lands between its neighbours from that side, a move on one
  side is kept, and when both sides insert at the same place the two runs are ordered by
  their keys, whichever side is "ours" (a rebase swaps the sides; the result must not
  change with them).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class Conflicted(Generic[V]):
    """A key both sides changed in ways that do not combine; None: absent on that side."""

    base: V | None
    ours: V | None
    theirs: V | None


# (key, base, ours, theirs) -> the merged value or a conflict; called when both sides have
# the key and changed it differently.
Resolver = Callable[[K, "V | None", "V | None", "V | None"], "V | Conflicted[V]"]


def pick(base: V | None, ours: V | None, theirs: V | None) -> tuple[bool, V | None]:
    """The plain three-way rule: (True, value) when it decides, (False, None) when both
    sides changed the value differently."""
    if ours == theirs or base == theirs:
        return True, ours
    if base == ours:
        return True, theirs
    return False, None


def merge_values(
    base: Mapping[K, V], ours: Mapping[K, V], theirs: Mapping[K, V], resolve: Resolver[K, V],
    *, trivial: Callable[[V, V], bool] | None = None,
) -> dict[K, V | Conflicted[V]]:
    """The outcome of every key that survives the merge (see the module's docstring).

    ``trivial(before, after)``: the change is too small to keep an item one side deletes
    (blank lines above a statement, which move when a neighbour is added).
    """
    merged: dict[K, V | Conflicted[V]] = {}
    for key in {**base, **ours, **theirs}:
        b, o, t = base.get(key), ours.get(key), theirs.get(key)
        decided, value = pick(b, o, t)
        if not decided:
            if o is None or t is None:  # deleted on one side, changed on the other
                kept = o if t is None else t
                if trivial is not None and b is not None and kept is not None and trivial(b, kept):
                    continue
                merged[key] = Conflicted(b, o, t)
                continue
            merged[key] = resolve(key, b, o, t)
        elif value is not None:
            merged[key] = value
    return merged


def merged_order(base: Sequence[K], ours: Sequence[K], theirs: Sequence[K],
                 survivors: Mapping[K, object], *, sort_key: Callable[[K], str] = repr
                 ) -> list[K]:
    """Every key of ``survivors``, in merged order (see the module's docstring)."""
    order = [k for k in _diff3_order(base, ours, theirs, sort_key) if k in survivors]
    placed = set(order)
    missing = [k for k in survivors if k not in placed]
    if missing:
        # A key each side treats differently by position but one side deleted (a delete
        # against a change): put it back after its nearest placed predecessor on the side
        # that still has it.
        for side in (ours, theirs, base):
            for index, key in enumerate(side):
                if key in placed or key not in survivors:
                    continue
                before = next((side[j] for j in range(index - 1, -1, -1) if side[j] in placed),
                              None)
                at = 0 if before is None else order.index(before) + 1
                order.insert(at, key)
                placed.add(key)
    return order


# ------------------------------------------------------------------------------- diff3


def _matches(base: Sequence[K], side: Sequence[K]) -> dict[int, int]:
    """Base index -> side index of the longest common subsequence of two sequences whose
    items are unique: the longest increasing run of side positions, in base order."""
    position = {key: j for j, key in enumerate(side)}
    pairs = [(i, position[key]) for i, key in enumerate(base) if key in position]
    if all(a[1] < b[1] for a, b in zip(pairs, pairs[1:])):
        return dict(pairs)  # the usual case: nothing moved
    tails: list[int] = []  # side position ending the best run of each length
    tail_at: list[int] = []  # index into pairs of that run's end
    previous = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        length = bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[length] = j
            tail_at[length] = n
        previous[n] = tail_at[length - 1] if length else -1
    chosen: dict[int, int] = {}
    n = tail_at[-1] if tail_at else -1
    while n != -1:
        chosen[pairs[n][0]] = pairs[n][1]
        n = previous[n]
    return chosen


def _diff3_order(base: Sequence[K], ours: Sequence[K], theirs: Sequence[K],
                 sort_key: Callable[[K], str]) -> list[K]:
    in_ours, in_theirs = _matches(base, ours), _matches(base, theirs)
    stable = [i for i in range(len(base)) if i in in_ours and i in in_theirs]
    out: list[K] = []
    o = a = b = 0
    for i in stable + [len(base)]:
        if i == len(base):
            a_end, b_end = len(ours), len(theirs)
        else:
            a_end, b_end = in_ours[i], in_theirs[i]
        out += _resolve_chunk(base[o:i], ours[a:a_end], theirs[b:b_end], sort_key)
        if i < len(base):
            out.append(base[i])
        o, a, b = i + 1, a_end + 1, b_end + 1
    return out


def _resolve_chunk(base: Sequence[K], ours: Sequence[K], theirs: Sequence[K],
                   sort_key: Callable[[K], str]) -> list[K]:
    if list(ours) == list(base):
        return list(theirs)
    if list(theirs) == list(base) or list(ours) == list(theirs):
        return list(ours)
    return _interleave(ours, theirs, sort_key)


def _interleave(ours: Sequence[K], theirs: Sequence[K], sort_key: Callable[[K], str]
                ) -> list[K]:
    """Both sides' items, each side's order kept; between items both have, the two runs
    go in the order of their first keys."""
    common = _matches(ours, theirs)
    out: list[K] = []
    a = b = 0
    for i in sorted(common) + [len(ours)]:
        j = common[i] if i < len(ours) else len(theirs)
        runs = sorted((run for run in (list(ours[a:i]), list(theirs[b:j])) if run),
                      key=lambda run: [sort_key(k) for k in run])
        for run in runs:
            out += run
        if i < len(ours):
            out.append(ours[i])
        a, b = i + 1, j + 1
    return out
