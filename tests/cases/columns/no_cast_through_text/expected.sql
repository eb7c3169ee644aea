ALTER TABLE public.t ALTER COLUMN day TYPE integer USING day::text::integer;

ALTER TABLE public.t ALTER COLUMN doc TYPE integer USING doc::integer;

ALTER TABLE public.t ALTER COLUMN flag TYPE boolean USING flag::boolean;

ALTER TABLE public.t ALTER COLUMN id TYPE bytea USING id::text::bytea;

ALTER TABLE public.t ALTER COLUMN small TYPE boolean USING small::text::boolean;
