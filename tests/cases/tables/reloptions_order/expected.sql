ALTER TABLE public.t SET (fillfactor='80', autovacuum_enabled='false');
