ALTER POLICY p ON public.docs USING ((public AND (id > 0)));
