ALTER INDEX public."t odd" RESET (fillfactor);

ALTER INDEX public.t_a SET (fillfactor='80', deduplicate_items='off');

ALTER INDEX public.t_b RESET (fastupdate);
ALTER INDEX public.t_b SET (gin_pending_list_limit='256');

ALTER INDEX public.t_p SET (buffering='on', fillfactor='50');

COMMENT ON INDEX public.t_a IS 'by column a';
