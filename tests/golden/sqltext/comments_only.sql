-- nothing but comments; and blank lines

/* not a statement; */
