ALTER TYPE public.mood ADD VALUE 'sad' BEFORE 'ok';
