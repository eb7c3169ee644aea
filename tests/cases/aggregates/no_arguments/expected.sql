DROP AGGREGATE public.my_count(*);
