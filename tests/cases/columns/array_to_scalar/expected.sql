ALTER TABLE public.t ALTER COLUMN codes TYPE text USING codes[array_lower(codes, 1)];

ALTER TABLE public.t ALTER COLUMN days TYPE integer USING days[array_lower(days, 1)]::text::integer;

ALTER TABLE public.t ALTER COLUMN names TYPE text USING names[array_lower(names, 1)];
