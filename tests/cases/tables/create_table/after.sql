CREATE TABLE public.items (
    id bigint NOT NULL,
    name text COLLATE "C" DEFAULT 'x',
    price numeric(10,2),
    tags text[]
);
