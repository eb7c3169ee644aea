"""Storage parameters read out of deparsed definitions, and the SET / RESET between two
lists, with inline text (the round trips prove the SQL against a real server)."""

from __future__ import annotations

from pgmt_git.diff.kinds.storage import option_changes, split_storage_parameters


def test_the_with_clause_is_cut_out_of_an_index_definition() -> None:
    definition = ('CREATE INDEX "a WITH (b)" ON public."WITH (" USING btree ("x WITH (y)") '
                  "WITH (fillfactor='70', deduplicate_items=off) WHERE (note <> 'WITH (z)')")
    assert split_storage_parameters(definition) == (
        'CREATE INDEX "a WITH (b)" ON public."WITH (" USING btree ("x WITH (y)") '
        "WHERE (note <> 'WITH (z)')", ("fillfactor=70", "deduplicate_items=off"))


def test_constraints_and_definitions_without_parameters() -> None:
    assert split_storage_parameters("EXCLUDE USING gist (span WITH &&) WITH (fillfactor='7')"
                                    ) == ("EXCLUDE USING gist (span WITH &&)", ("fillfactor=7",))
    assert split_storage_parameters("UNIQUE (code)") == ("UNIQUE (code)", ())
    assert split_storage_parameters("UNIQUE (a) WITH (x='it''s')") == ("UNIQUE (a)",
                                                                      ("x=it's",))


def test_changes_land_in_the_target_order() -> None:
    assert option_changes(("a=1", "b=2"), ("a=1", "b=3")) == (("b=3",), ())
    assert option_changes(("a=1", "b=2"), ("a=2", "b=2")) == (("a=2", "b=2"), ())
    assert option_changes(("a=1", "b=2"), ("b=2",)) == ((), ("a",))
