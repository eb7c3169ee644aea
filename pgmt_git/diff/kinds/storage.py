"""Storage parameters (reloptions): reading them out of a deparsed index or constraint
definition, and the SET / RESET that turns one list into another."""

from __future__ import annotations

from collections.abc import Iterator

_WITH = " WITH ("

# Index storage parameters whose new value ALTER INDEX ... SET gives the existing index
# (for the pages written from then on); any other (brin's pages_per_range, which its
# metapage keeps, an extension's) recreates the index.
ALTERABLE_INDEX_OPTIONS = frozenset({"fillfactor", "deduplicate_items", "fastupdate",
                                     "gin_pending_list_limit", "buffering", "autosummarize"})


def _unquoted(text: str) -> Iterator[tuple[int, int]]:
    """(position, parenthesis depth) of each character outside quotes and quoted names; an
    opening parenthesis has the depth outside it, so does its closing one."""
    depth, quote = 0, ""
    for position, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote  # a doubled quote closes and reopens
        elif char in "'\"":
            quote = char
        elif char == "(":
            yield position, depth
            depth += 1
        elif char == ")":
            depth -= 1
            yield position, depth
        else:
            yield position, depth


def split_storage_parameters(definition: str) -> tuple[str, tuple[str, ...]]:
    """``... USING btree (a) WITH (fillfactor='70') WHERE (a > 0)`` ->
    (``... USING btree (a) WHERE (a > 0)``, (``fillfactor=70``,)): the definition without
    its storage parameters, and them as ``name=value`` (as pg_class.reloptions has them)."""
    start = next((position for position, depth in _unquoted(definition)
                  if depth == 0 and definition.startswith(_WITH, position)), None)
    if start is None:
        return definition, ()
    inner = start + len(_WITH)
    end = next(position for position, depth in _unquoted(definition)
               if position >= inner and depth == 0 and definition[position] == ")")
    return (definition[:start] + definition[end + 1:],
            tuple(_option(part) for part in _split_list(definition[inner:end])))


def _split_list(text: str) -> list[str]:
    cuts = [position for position, depth in _unquoted(text) if depth == 0
            and text[position] == ","]
    bounds = zip([-1, *cuts], [*cuts, len(text)])
    return [text[start + 1:end].strip() for start, end in bounds]


def _option(item: str) -> str:
    name, _, value = item.partition("=")
    if value.startswith("'") and value.endswith("'"):
        value = value[1:-1].replace("''", "'")
    return f"{name}={value}"


def option_name(option: str) -> str:
    return option.split("=", 1)[0]


def option_changes(old: tuple[str, ...], new: tuple[str, ...]
                   ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(SET list, RESET names) from ``old`` to ``new`` reloptions. PostgreSQL keeps the
    options a SET does not name first and appends the ones it names, so every option is
    set again when the changed ones alone would not land in ``new``'s order."""
    names = {option_name(option) for option in new}
    reset = tuple(sorted(option_name(o) for o in old if option_name(o) not in names))
    changed = tuple(option for option in new if option not in old)
    kept = tuple(option for option in old if option in new)
    return (changed if kept + changed == new else new), reset
