"""One module per object kind: each compares its kind in two catalogs and emits changes into
a shared :class:`~pgmt_git.diff.kinds.context.DiffContext`."""
