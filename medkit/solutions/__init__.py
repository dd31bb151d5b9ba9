"""Exercise answers and checks, one module per lesson (as Network Analysis Made Simple does).

Lessons call ``check(...)`` functions from here; learners who are stuck can read the module or
call its ``show_answer`` helpers.
"""
