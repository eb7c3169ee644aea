ALTER INDEX public.t_code SET (fillfactor='80', deduplicate_items='off');

ALTER INDEX public.t_pkey SET (fillfactor='90');

ALTER INDEX public.t_span SET (fillfactor='80', buffering='auto');
