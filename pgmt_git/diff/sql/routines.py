"""Views, materialized views, functions, procedures, aggregates, triggers and event
triggers."""

from __future__ import annotations

from collections.abc import Sequence

from pgmt_git.diff import changes as ch
from pgmt_git.diff.model import (
    EventTrigger,
    Function,
    FunctionKind,
    MaterializedView,
    Trigger,
    View,
)
from pgmt_git.diff.quoting import qualified, quote_ident, quote_ident_list, quote_literal
from pgmt_git.diff.sql.common import ref, renders, storage_parameters, table_name


def _view_options(options: tuple[str, ...]) -> str:
    return f" WITH ({storage_parameters(options)})" if options else ""


@renders(ch.CreateView)
def _create_view(c: ch.CreateView) -> Sequence[str]:
    v = c.view
    name = qualified(v.schema, v.name)
    columns = quote_ident_list([col.name for col in v.columns])
    body = v.definition.rstrip().rstrip(";")
    if isinstance(v, MaterializedView):
        data = "" if v.populated else " WITH NO DATA"
        return [f"CREATE MATERIALIZED VIEW {name} ({columns}){_view_options(v.options)} AS\n"
                f"{body}{data}"]
    assert isinstance(v, View)
    verb = "CREATE OR REPLACE VIEW" if c.replace else "CREATE VIEW"
    return [f"{verb} {name} ({columns}){_view_options(v.options)} AS\n{body}"]


@renders(ch.DropView)
def _drop_view(c: ch.DropView) -> Sequence[str]:
    keyword = "MATERIALIZED VIEW" if isinstance(c.view, MaterializedView) else "VIEW"
    return [f"DROP {keyword} {qualified(c.view.schema, c.view.name)}"]


@renders(ch.CreateFunction)
def _create_function(c: ch.CreateFunction) -> Sequence[str]:
    text = c.function.definition.rstrip()
    if not c.replace:
        text = text.replace("CREATE OR REPLACE ", "CREATE ", 1)
    return [text]


@renders(ch.DropFunction)
def _drop_function(c: ch.DropFunction) -> Sequence[str]:
    f = c.function
    # An ordered-set aggregate is named by all its argument types in one list (VARIADIC
    # "any" of both lists once), which PostgreSQL accepts in place of its ORDER BY form.
    return [f"DROP {_routine_keyword(f)} {ref(f.id)}"]


def _routine_keyword(function: Function) -> str:
    return {FunctionKind.PROCEDURE: "PROCEDURE",
            FunctionKind.AGGREGATE: "AGGREGATE"}.get(function.kind, "FUNCTION")


_TRIGGER_STATES = {"D": "DISABLE TRIGGER", "R": "ENABLE REPLICA TRIGGER",
                   "A": "ENABLE ALWAYS TRIGGER", "O": "ENABLE TRIGGER"}


def _trigger_state(trigger: Trigger) -> str:
    return (f"ALTER TABLE {table_name(trigger.parent)} {_TRIGGER_STATES[trigger.enabled]} "
            f"{quote_ident(trigger.name)}")


@renders(ch.CreateTrigger)
def _create_trigger(c: ch.CreateTrigger) -> Sequence[str]:
    text = c.trigger.definition
    if c.replace:
        text = text.replace("CREATE TRIGGER ", "CREATE OR REPLACE TRIGGER ", 1)
    out = [text]
    if c.trigger.enabled != "O":
        out.append(_trigger_state(c.trigger))
    return out


@renders(ch.DropTrigger)
def _drop_trigger(c: ch.DropTrigger) -> Sequence[str]:
    return [f"DROP TRIGGER {ref(c.trigger.id)}"]


@renders(ch.SetTriggerEnabled)
def _set_trigger_enabled(c: ch.SetTriggerEnabled) -> Sequence[str]:
    return [_trigger_state(c.trigger)]


_EVENT_TRIGGER_STATES = {"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS",
                         "O": "ENABLE"}


@renders(ch.CreateEventTrigger)
def _create_event_trigger(c: ch.CreateEventTrigger) -> Sequence[str]:
    t = c.trigger
    when = ""
    if t.tags:
        when = f" WHEN TAG IN ({', '.join(quote_literal(tag) for tag in t.tags)})"
    function = qualified(t.function.schema, t.function.name)
    out = [f"CREATE EVENT TRIGGER {quote_ident(t.name)} ON {quote_ident(t.event)}{when} "
           f"EXECUTE FUNCTION {function}()"]
    if t.enabled != "O":
        out.append(_event_trigger_state(t))
    return out


def _event_trigger_state(t: EventTrigger) -> str:
    return f"ALTER EVENT TRIGGER {quote_ident(t.name)} {_EVENT_TRIGGER_STATES[t.enabled]}"


@renders(ch.DropEventTrigger)
def _drop_event_trigger(c: ch.DropEventTrigger) -> Sequence[str]:
    return [f"DROP EVENT TRIGGER {quote_ident(c.trigger.name)}"]


@renders(ch.SetEventTriggerEnabled)
def _set_event_trigger_enabled(c: ch.SetEventTriggerEnabled) -> Sequence[str]:
    return [_event_trigger_state(c.trigger)]
