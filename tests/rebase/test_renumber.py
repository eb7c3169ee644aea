"""Renumbering, as pure data: above the upstream's newest version, order kept."""

from __future__ import annotations

from pgmt_git.git.regenerate import renumbered


def test_versions_below_upstream_move_just_above_it() -> None:
    assert renumbered([100, 200], 300) == (301, 302)


def test_versions_already_above_upstream_stay() -> None:
    assert renumbered([400, 500], 300) == (400, 500)


def test_order_is_kept_when_only_some_move() -> None:
    assert renumbered([250, 301, 302], 300) == (301, 302, 303)


def test_a_version_equal_to_upstream_moves() -> None:
    assert renumbered([300], 300) == (301,)
