"""Golden submissions: folders in tests/submissions/ with the score each must get.

Each folder holds one or more assignment files and an ``expected.json``::

    {
      "description": "L2 norm without the square root",
      "assignments": {
        "lec01_vectors": {
          "score": 21,
          "statuses": {"test_l2_norm_lecture_example": "failed", "test_l2_distance": "failed"}
        }
      }
    }

Every test not named in ``statuses`` must pass; ``score`` is the exact total for the assignment
(hidden tests included). An optional top-level ``"timeout_s"`` shortens the per-call time limit for
cases whose mistake makes calls run forever (a diverging loop), so the suite stays fast.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SUBMISSIONS_DIR = Path(__file__).resolve().parent / "submissions"


@dataclass(frozen=True)
class GoldenCase:
    name: str
    folder: Path
    description: str
    assignments: dict[str, dict]
    timeout_s: float | None = None


def load_cases() -> list[GoldenCase]:
    cases = []
    for expected in sorted(SUBMISSIONS_DIR.glob("*/expected.json")):
        data = json.loads(expected.read_text())
        cases.append(
            GoldenCase(
                name=expected.parent.name,
                folder=expected.parent,
                description=data["description"],
                assignments=data["assignments"],
                timeout_s=data.get("timeout_s"),
            )
        )
    return cases


def short_test_name(nodeid: str) -> str:
    """'.../test_public.py::test_l2_norm' -> 'test_l2_norm' (parameters kept: 'test_x[3]')."""
    return nodeid.split("::")[-1]
