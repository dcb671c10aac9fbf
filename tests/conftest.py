"""Shared test setup: the suite never touches the real instructor configuration.

The instructor's secret (which seeds hidden inputs) is fixed for the whole run, so golden scores
do not depend on the machine, and no test creates ~/.config/aimath/secret.
"""

import os
import tempfile

TEST_SECRET = "aimath-test-suite-secret"

os.environ.setdefault("AIMATH_SECRET", TEST_SECRET)
os.environ.setdefault("AIMATH_CONFIG_DIR", tempfile.mkdtemp(prefix="aimath-config-"))
