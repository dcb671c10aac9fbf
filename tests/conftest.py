"""Shared test setup: the suite never touches the real instructor configuration.

The instructor's secret (which seeds hidden inputs) is fixed for the whole run, so golden scores
do not depend on the machine, and no test creates ~/.config/aimath/secret.
"""

import os
import tempfile

import pytest

TEST_SECRET = "aimath-test-suite-secret"

os.environ.setdefault("AIMATH_SECRET", TEST_SECRET)
os.environ.setdefault("AIMATH_CONFIG_DIR", tempfile.mkdtemp(prefix="aimath-config-"))


@pytest.fixture
def book(tmp_path):
    """An empty gradebook in a temporary folder (tests/records.py makes records to store)."""
    from autograder.gradebook import Gradebook

    with Gradebook(tmp_path / "g.sqlite") as b:
        yield b
