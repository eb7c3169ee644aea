ALTER TYPE public."sta tus" RENAME VALUE 'new' TO 'open';

ALTER TYPE public."sta tus" RENAME VALUE 'done' TO 'clo$ed';

ALTER TABLE public.t ALTER COLUMN s DROP DEFAULT;

ALTER TABLE public.t ALTER COLUMN s SET DEFAULT 'open'::public."sta tus";
