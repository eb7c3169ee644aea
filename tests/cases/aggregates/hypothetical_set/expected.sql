CREATE AGGREGATE public.my_rank(VARIADIC "any" ORDER BY VARIADIC "any") (
    SFUNC = ordered_set_transition_multi,
    STYPE = internal,
    FINALFUNC = rank_final,
    FINALFUNC_EXTRA,
    HYPOTHETICAL
);

COMMENT ON AGGREGATE public.my_rank("any") IS 'a rank';
