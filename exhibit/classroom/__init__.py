"""The classroom, beside the story: exercise checks (:mod:`.exercises`), the reader, student and teacher
notebooks made from one chapter (:mod:`.editions`), and class grading (:mod:`.grade`)."""
