"""aimath-autograder."""
