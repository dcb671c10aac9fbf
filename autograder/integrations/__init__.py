"""Integrations with the tools instructors already run: nbgrader, Gradescope and LMS gradebooks.

Each module is thin over the engine (``run_graders``, the gradebook) and is tested against the
real tool or its documented format: ``nbgrader`` (export a course, import scores into its
gradebook), ``gradescope`` (the autograder zip and its results.json), ``lms`` (Canvas, Moodle and
plain CSV gradebook exports).
"""
