CREATE SEQUENCE t_id_seq AS integer;
