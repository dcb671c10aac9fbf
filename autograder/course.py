"""The course catalog: assignments, their functions and limits (data, not code paths).

>>> ASSIGNMENTS["lec01_vectors"].title
'AI Math 1강: 벡터가 뭐에요?'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
GRADERS_DIR = PACKAGE_DIR / "graders"
STUB_MANIFEST = GRADERS_DIR / "stubs.json"  # sha256 of each generated stub, by `aimath build`
REPO_DIR = PACKAGE_DIR.parent
SUBMISSION_SUFFIXES = (".py", ".ipynb")  # in order of preference when both are present
DEFAULT_TIMEOUT_S = 10.0
"""Time limit of one call of a submission's function, in seconds."""
DEFAULT_TEST_BUDGET_S = 10.0
"""Wall-clock time all the calls of one test may take together, in seconds. The slowest honest
test measured is lec03's test_gradient_descent_lecture_example under the reference: 0.61-0.65 s
of calls (on 2 cores); 15 times that allows for slower honest code and a busy grading machine,
rounded to the per-call limit so that a test's first call always has its whole limit."""
DEFAULT_SUBMISSION_BUDGET_S = 60.0
"""Wall-clock time all the calls and worker starts of one student's assignment may take, in
seconds. The reference's whole lec03 (its 22 public and hidden tests) takes 2.2-2.4 s (2.0-2.15 s
of calls, 0.2 s of import); 25 times that, rounded, is 60 s: six tests may use up their whole
budget and the others still run, and a submission slow everywhere costs at most a minute."""


@dataclass(frozen=True)
class Assignment:
    """One lecture's assignment: a module of functions that students fill in."""

    name: str
    number: int
    title: str
    functions: tuple[str, ...]
    timeout_s: float = DEFAULT_TIMEOUT_S  # per call
    test_budget_s: float = DEFAULT_TEST_BUDGET_S  # all the calls of one test
    submission_budget_s: float = DEFAULT_SUBMISSION_BUDGET_S  # all the tests of one student

    @property
    def graders_dir(self) -> Path:
        """The public graders, shipped with the package (and to students)."""
        return GRADERS_DIR / self.name

    def hidden_dir(self, hidden_root: Path | None = None) -> Path:
        """The hidden graders, kept in the instructor's course repository, never in a package."""
        return Path(hidden_root or default_hidden_dir()) / self.name


ASSIGNMENTS: dict[str, Assignment] = {
    a.name: a
    for a in (
        Assignment(
            "lec01_vectors", 1, "AI Math 1강: 벡터가 뭐에요?",
            ("hadamard", "l1_norm", "l2_norm", "l1_distance", "l2_distance", "angle", "projection"),
        ),
        Assignment(
            "lec02_matrices", 2, "AI Math 2강: 행렬이 뭐에요?",
            ("matmul", "inner", "inverse", "pinv", "solve_least_squares", "linear_regression",
             "predict"),
        ),
        Assignment(
            "lec03_gradient_descent", 3, "AI Math 3강: 경사하강법 - 순한맛",
            ("func", "func_gradient", "gradient_descent", "func_multi", "eval_gradient",
             "gradient_descent_multi"),
        ),
        Assignment(
            "lec04_sgd", 4, "AI Math 4강: 경사하강법 - 매운맛",
            ("add_intercept", "linear_regression_gd", "minibatches", "sgd_linear_regression"),
        ),
        Assignment(
            "lec05_neural_networks", 5, "AI Math 5강: 딥러닝 학습방법 이해하기",
            ("softmax", "one_hot", "softmax_to_onehot", "relu", "sigmoid", "cross_entropy",
             "mlp_forward", "mlp_backward"),
        ),
        Assignment(
            "lec06_probability", 6, "AI Math 6강: 확률론 맛보기",
            ("expectation", "variance", "skewness", "covariance", "monte_carlo_integral"),
        ),
        Assignment(
            "lec07_statistics", 7, "AI Math 7강: 통계학 맛보기",
            ("sample_mean", "sample_variance", "mle_normal", "log_likelihood_normal",
             "mle_categorical", "entropy", "cross_entropy", "kl_divergence"),
        ),
        Assignment(
            "lec08_bayes", 8, "AI Math 8강: 베이즈 통계학 맛보기",
            ("evidence", "posterior", "posterior_after_tests", "confusion_metrics"),
        ),
        Assignment(
            "lec09_cnn", 9, "AI Math 9강: CNN 첫걸음",
            ("conv1d", "conv_output_size", "conv2d", "conv2d_multi", "conv2d_backward"),
        ),
        Assignment(
            "lec10_rnn", 10, "AI Math 10강: RNN 첫걸음",
            ("rnn_forward", "rnn_backward", "bptt_gradient_norms"),
        ),
    )
}  # fmt: skip


def get_assignment(name: str) -> Assignment:
    """The catalog entry for ``name``; KeyError lists the known assignments."""
    try:
        return ASSIGNMENTS[name]
    except KeyError:
        known = ", ".join(ASSIGNMENTS)
        raise KeyError(f"unknown assignment {name!r} (known: {known})") from None


def course_dir() -> Path:
    """The instructor's course repository, which holds ``solutions/`` and ``hidden/``.

    $AIMATH_COURSE if set; else the checkout this package runs from (an editable install of the
    course repository); else the current folder. The wheel and the student bundle ship neither
    folder, so an installed package finds them only here.

        >>> (course_dir() / "solutions").is_dir()   # in the course repository
        True
    """
    if os.environ.get("AIMATH_COURSE"):
        return Path(os.environ["AIMATH_COURSE"]).resolve()
    if (REPO_DIR / "pyproject.toml").is_file() and (REPO_DIR / "solutions").is_dir():
        return REPO_DIR
    return Path.cwd()


def default_solutions_dir() -> Path:
    """Where the reference solutions live: $AIMATH_SOLUTIONS, else ``solutions/`` of the course."""
    if os.environ.get("AIMATH_SOLUTIONS"):
        return Path(os.environ["AIMATH_SOLUTIONS"]).resolve()
    return course_dir() / "solutions"


def default_hidden_dir() -> Path:
    """Where the hidden tests live (``<assignment>/test_*.py``): $AIMATH_HIDDEN, else ``hidden/``."""
    if os.environ.get("AIMATH_HIDDEN"):
        return Path(os.environ["AIMATH_HIDDEN"]).resolve()
    return course_dir() / "hidden"
