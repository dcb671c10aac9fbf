"""The only pytest-aware module: fixtures, markers, result collection, and running the graders.

    >>> results = run_graders(Path("solutions"), ["lec01_vectors"], hidden=True)
    >>> sum(r.score for r in results) == sum(r.max_score for r in results)
    True

Graders are ordinary pytest modules in ``autograder/graders/<assignment>/``. The ``sub`` fixture is a
proxy: ``sub.l2_norm(x)`` runs in the submission's sandboxed worker and returns decoded plain data;
the scoring process never imports the submission. Markers: ``points(n)``, ``hidden``,
``timeout(s)`` (per call, in seconds) and ``budget(s)`` (all the calls of the test together). A
reporter object registered in ``pytest_configure`` turns every test into a
:class:`~autograder.results.TestResult`.

Time is bounded three ways, each in wall-clock seconds: a call by its time limit (``timeout``
marker, else ``--call-timeout``, else the catalog's ``timeout_s``), a test by its budget (``budget``
marker, else ``--test-budget``, else ``test_budget_s``) and one student's assignment by the
submission's budget (``--submission-budget``, else ``submission_budget_s``), which worker starts
(imports) count against too. A call may run until the earliest of the three ends. Once the
submission's budget is spent, or its worker has crashed ``MAX_WORKER_CRASHES`` times, the
remaining tests of that assignment fail at once, without starting a worker; a function whose calls
crashed it ``MAX_FUNCTION_CRASHES`` times is not called again, and the others still are.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import math
import os
import time
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from . import figures
from .checks import CheckError
from .course import ASSIGNMENTS, GRADERS_DIR, default_hidden_dir, default_solutions_dir
from .errors import (
    CallTimeout,
    LoadFailed,
    NotAttempted,
    NotSubmitted,
    ProtocolError,
    StudentError,
    WorkerCrashed,
)
from .failures import Failure, render_output
from .formatting import format_call
from .hints import find_hint
from .i18n import DEFAULT_LANG, Msg, msg, raw, render_note
from .intake import find_assignment_file
from .results import Status, TestResult, to_gradescope
from .sandbox.process import FunctionRef, Sandbox
from .seeds import config_dir, hidden_seed, instructor_secret, public_seed

MAX_FUNCTION_CRASHES = 2
"""How many times calls of one function may crash one student's worker for an assignment
(os._exit, a segfault, an unreadable reply); after that, that function's remaining calls fail
without running, while the other functions keep being graded."""
MAX_WORKER_CRASHES = 12
"""How many times, in all, one student's worker for an assignment may crash and be started again;
after that every remaining test fails without running."""

_SESSION = pytest.StashKey["GradingSession"]()
_STATE = pytest.StashKey[dict]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("aimath", "aimath-autograder")
    group.addoption("--submission", default=None, help="folder holding the submission's files")
    group.addoption("--solutions", default=None, help="folder of reference solutions (for ref)")
    group.addoption("--hidden-tests", default=None,
                    help="folder of hidden graders, <assignment>/test_*.py (default: hidden/)")  # fmt: skip
    group.addoption("--student", default=None, help="student id (seeds rng; default: folder name)")
    group.addoption("--hidden", action="store_true", help="also run hidden tests")
    group.addoption("--aimath-json", default=None, help="write Gradescope results.json here")
    group.addoption("--aimath-lang", default=None, choices=("en", "ko"),
                    help="language of the tests' output (results.json): en or ko")  # fmt: skip
    group.addoption("--call-timeout", type=float, default=None,
                    help="default time limit per call in seconds (timeout markers still win)")  # fmt: skip
    group.addoption("--test-budget", type=float, default=None,
                    help="default time budget of all the calls of one test, in seconds "
                         "(budget markers still win)")  # fmt: skip
    group.addoption("--submission-budget", type=float, default=None,
                    help="time budget of all the calls of one assignment, in seconds")  # fmt: skip


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): points the test is worth")
    config.addinivalue_line("markers", "hidden: a hidden test (needs --hidden, may use ref)")
    config.addinivalue_line("markers", "timeout(s): time limit in seconds for each call")
    config.addinivalue_line("markers", "budget(s): time budget in seconds of all the test's calls")
    session = GradingSession(config)
    config.stash[_SESSION] = session
    config.pluginmanager.register(session, "aimath-grading-session")


class GradingSession:
    """Per-pytest-session state: the submission's sandboxes and the collected results."""

    def __init__(self, config: pytest.Config) -> None:
        submission = config.getoption("submission") or "assignments"
        self.submission = Path(submission).resolve()
        solutions = config.getoption("solutions")
        self.solutions = Path(solutions).resolve() if solutions else default_solutions_dir()
        hidden_tests = config.getoption("hidden_tests")
        self.hidden_root = Path(hidden_tests).resolve() if hidden_tests else default_hidden_dir()
        self.student = config.getoption("student") or self.submission.name
        self.hidden = bool(config.getoption("hidden"))
        self._secret: bytes | None = None
        self.json_path = config.getoption("aimath_json")
        self.lang = config.getoption("aimath_lang") or DEFAULT_LANG
        self.call_timeout_s = config.getoption("call_timeout")
        try:
            self.test_budget_s = positive_seconds(config.getoption("test_budget"), "--test-budget")
            self.submission_budget_s = positive_seconds(
                config.getoption("submission_budget"), "--submission-budget"
            )
        except ValueError as exc:
            raise pytest.UsageError(str(exc)) from None
        self.sandboxes: dict[str, Sandbox | None] = {}
        self.accounts: dict[str, SubmissionAccount] = {}
        self.file_notes: dict[str, list[str]] = {}
        self.references: dict[str, types.ModuleType] = {}
        self.results: list[TestResult] = []
        self.collect_errors: list[str] = []
        self.started = time.monotonic()

    # -- collection ------------------------------------------------------------------------
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list) -> None:
        counters: dict[str, int] = {}
        keep, drop = [], []
        for item in items:
            assignment = assignment_of(item)
            counters[assignment] = counters.get(assignment, 0) + 1
            number = ASSIGNMENTS[assignment].number if assignment in ASSIGNMENTS else 0
            item.stash[_STATE] = {
                "assignment": assignment,
                "number": f"{number}.{counters[assignment]}",
                "status": None,
                "kind": "",
                "failure": None,
                "figures": (),
                "duration": 0.0,
                "proxy": None,
            }
            if Path(str(item.path)).resolve().is_relative_to(self.hidden_root):
                item.add_marker(pytest.mark.hidden)  # a hidden grader is hidden, marked or not
            hidden = item.get_closest_marker("hidden") is not None
            (keep if self.hidden or not hidden else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {report.longreprtext[-2000:]}")

    # -- fixtures' backing -----------------------------------------------------------------
    def sandbox_for(self, assignment: str) -> Sandbox | None:
        if assignment not in self.sandboxes:
            path, notes = find_assignment_file(self.submission, assignment)
            self.file_notes[assignment] = notes
            hide = (self.solutions, GRADERS_DIR, self.hidden_root, config_dir())
            self.sandboxes[assignment] = (
                None if path is None else Sandbox(path, assignment, hide=hide)
            )
            self.accounts[assignment] = SubmissionAccount(
                assignment=assignment,
                filename=path.name if path is not None else f"{assignment}.py",
                budget_s=self.submission_budget_s or ASSIGNMENTS[assignment].submission_budget_s,
            )
        return self.sandboxes[assignment]

    def notes(self) -> dict[str, list[str]]:
        """Per assignment, notes for the student on the file: which one was graded, how its
        notebook cells ran (a cell that raised, a syntax error, magics that were skipped)."""
        out = {}
        for assignment, box in self.sandboxes.items():
            notes = list(self.file_notes.get(assignment, ()))
            notes += list(box.load_notes) if box is not None else []
            if notes:
                out[assignment] = notes
        return out

    def reference(self, assignment: str) -> types.ModuleType:
        if assignment not in self.references:
            path = self.solutions / f"{assignment}.py"
            if not path.is_file():
                raise FileNotFoundError(f"no reference solution at {path}")
            spec = importlib.util.spec_from_file_location(f"aimath_reference_{assignment}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            self.references[assignment] = module
        return self.references[assignment]

    def secret(self) -> bytes:
        """The instructor's secret (read, or created, only when a hidden test asks for ``rng``)."""
        if self._secret is None:
            self._secret = instructor_secret()
        return self._secret

    # -- reporting -------------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_call(self, item: pytest.Item) -> None:
        figures.start()  # what the grader draws during this test's call

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        outcome = yield
        report = outcome.get_result()
        state = item.stash.get(_STATE, None)
        if state is None:
            return
        state["duration"] += call.duration
        if call.when == "call":
            state["figures"] = figures.take()
        if state["status"] is None and call.when in ("setup", "call"):
            if call.excinfo is not None:
                state["status"], state["failure"] = classify(call.excinfo.value, report)
                state["kind"] = type(call.excinfo.value).__name__
            elif call.when == "call":
                state["status"] = "passed"
        if call.when == "teardown":
            if call.excinfo is not None and state["status"] == "passed":
                state["status"], state["failure"] = classify(call.excinfo.value, report)
                state["kind"] = type(call.excinfo.value).__name__
            self.results.append(self.make_result(item, state))

    def make_result(self, item: pytest.Item, state: dict) -> TestResult:
        marker = item.get_closest_marker("points")
        max_score = float(marker.args[0]) if marker and marker.args else 1.0
        status: Status = state["status"] or "error"
        failure: Failure | None = state.get("failure")
        if not state["status"]:
            failure = Failure(kind="grader error", problem=msg("engine.did_not_run"))
        proxy = state["proxy"]
        if failure is not None and status == "failed" and proxy is not None:
            if state.get("kind") in _WRONG_ANSWER:
                failure.hint = _hint_for(assignment_of(item), proxy, failure, self.hidden_root)
            if proxy.printed_calls:
                failure.printed = list(proxy.printed_calls)
        output = render_output(failure, self.lang) if failure is not None else ""
        hidden = item.get_closest_marker("hidden") is not None
        doc = (getattr(item, "function", None) and item.function.__doc__) or ""
        name = doc.strip().splitlines()[0] if doc.strip() else item.name
        return TestResult(
            name=name,
            number=state["number"],
            score=max_score if status == "passed" else 0.0,
            max_score=max_score,
            status=status,
            assignment=state["assignment"],
            output=output,
            visibility="after_published" if hidden else "visible",
            hidden=hidden,
            tags=("hidden" if hidden else "public",)
            + ((f"kind:{state['kind']}",) if state.get("kind") else ()),
            execution_time=state["duration"],
            nodeid=_nodeid(item, state["assignment"]),
            failure=failure.to_json() if failure is not None else None,
            figures=state.get("figures", ()),
        )

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        for box in self.sandboxes.values():
            if box is not None:
                box.stop()
        if self.json_path:
            output = "\n".join(
                f"{a}: {render_note(n, self.lang)}" for a, notes in self.notes().items() for n in notes
            )  # fmt: skip
            data = to_gradescope(
                self.results, execution_time=time.monotonic() - self.started, output=output
            )
            Path(self.json_path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _nodeid(item: pytest.Item, assignment: str) -> str:
    """pytest's node id; a hidden grader outside the package is named ``hidden/<a>/<file>::test``."""
    if item.nodeid.startswith("::"):
        return f"hidden/{assignment}/{Path(str(item.path)).name}{item.nodeid}"
    return item.nodeid


def assignment_of(item: pytest.Item) -> str:
    """The assignment a grader test belongs to: the name of the folder its module is in."""
    return Path(str(item.path)).parent.name


def classify(exc: BaseException, report: pytest.TestReport) -> tuple[Status, Failure]:
    """Whose fault an exception is: the student's (failed / not_attempted) or the grader's (error),
    and the failure as data."""
    if isinstance(exc, NotAttempted):
        return "not_attempted", exc.failure
    if isinstance(exc, StudentError | CheckError):
        return "failed", exc.failure
    if isinstance(exc, AssertionError):
        problem = raw(str(exc)) if str(exc) else msg("engine.assertion_failed")
        return "failed", Failure(kind="wrong answer", problem=problem)
    if isinstance(exc, pytest.skip.Exception):
        return "error", Failure(kind="grader error", problem=msg("engine.grader_skipped",
                                                                 why=str(exc)))  # fmt: skip
    where = report.location[0] if report.location else "the grader"
    return "error", Failure(kind="grader error", problem=msg(
        "engine.grader_broke", type=type(exc).__name__, message=str(exc), where=where))  # fmt: skip


# -- time budgets and crashes --------------------------------------------------------------
class BudgetExceeded(CallTimeout):
    """The calls of one test, or of one student's assignment, took longer than their time budget."""

    kind = "time budget"


class TooManyCrashes(WorkerCrashed):
    """The worker crashed too often (in all, or in calls of one function): calls were not run."""


def positive_seconds(value: float | str | None, what: str) -> float | None:
    """``value`` as a number of seconds (None stays None); ValueError unless finite and > 0."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"{what} must be a positive number of seconds, not {value!r}")
    return seconds


@dataclass
class SubmissionAccount:
    """What one student's assignment has used so far: wall-clock time (calls and worker starts)
    against the submission's budget, and how many times its worker crashed."""

    assignment: str
    filename: str
    budget_s: float
    spent_s: float = 0.0
    crashes: int = 0
    last_crash: Msg | str = ""
    crashes_by_function: dict[str, int] = field(default_factory=dict)
    last_crash_by_function: dict[str, Msg | str] = field(default_factory=dict)

    def crashed(self, function: str, how: Msg | str) -> None:
        self.crashes += 1
        self.last_crash = how
        self.crashes_by_function[function] = self.crashes_by_function.get(function, 0) + 1
        self.last_crash_by_function[function] = how

    @property
    def remaining_s(self) -> float:
        return self.budget_s - self.spent_s

    def over_budget(self) -> Msg:
        return msg("engine.submission_over_budget", filename=self.filename, spent_s=self.spent_s,
                   budget_s=self.budget_s, assignment=self.assignment)  # fmt: skip

    def stopped(self, function: str | None = None) -> StudentError | None:
        """Why no more of this submission (or of ``function``) may run (None: it may run)."""
        if self.crashes >= MAX_WORKER_CRASHES:
            return TooManyCrashes(msg("engine.too_many_crashes", filename=self.filename,
                                      n=self.crashes, last=self.last_crash))  # fmt: skip
        if self.crashes_by_function.get(function, 0) >= MAX_FUNCTION_CRASHES:
            return TooManyCrashes(
                msg("engine.function_crashes", function=function, filename=self.filename,
                    n=self.crashes_by_function[function],
                    last=self.last_crash_by_function[function])
            )  # fmt: skip
        if self.remaining_s <= 0:
            return BudgetExceeded(msg("engine.not_run", why=self.over_budget()))
        return None


class RemoteFunction:
    """One of the submission's functions, as seen by a grader: calling it runs it in the worker."""

    def __init__(self, proxy: SubmissionProxy, name: str) -> None:
        self.proxy = proxy
        self.__name__ = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.proxy.call(self.__name__, args, kwargs)

    def map(self, calls: Iterable[tuple], **kwargs: Any) -> list[Any]:
        """Call the function on each tuple of positional arguments in ``calls`` (with the same
        ``kwargs``), all in one round trip to the worker; return the list of values.

            >>> outputs = sub.mlp_forward.map([(X, p) for p in perturbations(params)])

        One call's time limit bounds the whole batch. If one of the calls raises, that call is
        reported as a single call would be (``sub.last_call`` names it).
        """
        return self.proxy.call_many(self.__name__, [tuple(args) for args in calls], kwargs)

    def __repr__(self) -> str:
        return self.__name__


class SubmissionProxy:
    """The ``sub`` fixture: attribute access gives the submission's functions, run sandboxed.

    Each call may run until the earliest of its time limit (``timeout_s``), the end of the test's
    budget (``budget_s``, all the calls of this test together) and the end of the submission's
    (``account``). ``spent_s`` is the wall-clock time this test's calls took so far.
    """

    def __init__(
        self,
        sandbox: Sandbox | None,
        filename: str,
        timeout_s: float,
        *,
        budget_s: float = math.inf,
        account: SubmissionAccount | None = None,
    ) -> None:
        self._sandbox = sandbox
        self._filename = filename
        self._timeout_s = timeout_s
        self._budget_s = budget_s
        self._account = account or SubmissionAccount("", filename, budget_s=math.inf)
        self.spent_s = 0.0
        self.last_call = ""
        self.printed_calls: list[tuple[str, str]] = []  # (call, what it printed), in order
        self.last_value: tuple[str, tuple, dict, Any] | None = None  # the last call and its value

    def __getattr__(self, name: str) -> RemoteFunction:
        if name.startswith("_"):
            raise AttributeError(name)
        return RemoteFunction(self, name)

    def call(self, name: str, args: tuple, kwargs: dict) -> Any:
        self.last_call = format_call(name, args, kwargs)
        self.last_value = None
        value = self._run(name, tuple(_to_wire(a) for a in args),
                          {k: _to_wire(v) for k, v in kwargs.items()})  # fmt: skip
        self.last_value = (name, args, kwargs, value)  # for hints (autograder.hints)
        return value

    def call_many(self, name: str, calls: list[tuple], kwargs: dict) -> list[Any]:
        """``name(*args, **kwargs)`` for each ``args`` in ``calls``, in one round trip."""
        self.last_value = None
        if not calls:
            return []
        first = format_call(name, calls[0], kwargs)
        self.last_call = first if len(calls) == 1 else f"{first} and {len(calls) - 1} more calls"
        wire_kwargs = {k: _to_wire(v) for k, v in kwargs.items()}
        batch = [(tuple(_to_wire(a) for a in args), wire_kwargs) for args in calls]

        def label(index: int) -> str:
            self.last_call = format_call(name, calls[index], kwargs)
            return f"{self.last_call} (call {index + 1} of {len(calls)} in a batch)"

        return self._run(name, (), {}, batch=batch, batch_call=label)

    def _run(
        self,
        name: str,
        args: tuple,
        kwargs: dict,
        *,
        batch: list[tuple[tuple, dict]] | None = None,
        batch_call: Any = None,
    ) -> Any:
        if self._sandbox is None:
            raise NotSubmitted(msg("engine.not_submitted", filename=self._filename, fn=name))
        box, account = self._sandbox, self._account
        stopped = account.stopped(name)
        if stopped is not None:
            box.stop()
            raise stopped
        if self.spent_s >= self._budget_s:
            raise BudgetExceeded(msg("engine.call_not_run", why=self._over_budget()),
                                 call=self.last_call)  # fmt: skip
        # Starting the worker (importing the file) counts against the submission's budget only:
        # the first test to call a function should not pay for the whole file's imports.
        box.deadline = time.monotonic() + account.remaining_s
        started = time.monotonic()
        try:
            box.start()
        except LoadFailed:
            account.spent_s += time.monotonic() - started
            if account.remaining_s <= 0:
                raise BudgetExceeded(
                    msg("engine.not_loaded_in_time", filename=box.filename,
                        why=account.over_budget())
                ) from None  # fmt: skip
            raise
        account.spent_s += time.monotonic() - started
        test_left, submission_left = self._budget_s - self.spent_s, account.remaining_s
        timeout_s = min(self._timeout_s, test_left, submission_left)
        box.deadline = time.monotonic() + submission_left
        timed_out: CallTimeout | None = None
        started = time.monotonic()
        try:
            value, printed = box.call(name, args, kwargs, timeout_s=timeout_s, call=self.last_call,
                                      batch=batch, batch_call=batch_call)  # fmt: skip
        except (WorkerCrashed, ProtocolError) as exc:
            account.crashed(name, exc.headline_msg())
            raise
        except CallTimeout as exc:
            timed_out = exc
        finally:
            elapsed = time.monotonic() - started
            self.spent_s += elapsed
            account.spent_s += elapsed
        if timed_out is not None:
            if timeout_s >= self._timeout_s:  # its own time limit stopped it
                raise timed_out
            if submission_left <= test_left:  # the submission's budget ran out
                account.spent_s = max(account.spent_s, account.budget_s)
                raise BudgetExceeded(msg("engine.call_stopped", why=account.over_budget()),
                                     call=self.last_call)  # fmt: skip
            raise BudgetExceeded(msg("engine.call_stopped_test", why=self._over_budget()),
                                 call=self.last_call)  # fmt: skip
        if printed.strip():
            self.printed_calls.append((self.last_call, printed))
        return value

    def _over_budget(self) -> Msg:
        return msg("engine.test_over_budget", spent_s=self.spent_s, budget_s=self._budget_s)


_WRONG_ANSWER = ("CheckError", "AssertionError")


def _hint_for(
    assignment: str, proxy: SubmissionProxy, failure: Failure, hidden_root: Path
) -> Msg | None:
    """A known mistake's hint, when the check that failed is about the last call's value."""
    if proxy.last_value is None or not proxy.last_call or failure.call != proxy.last_call:
        return None
    name, args, kwargs, value = proxy.last_value
    try:
        return find_hint(assignment, name, args, kwargs, value, hidden_root=hidden_root)
    except Exception:  # noqa: BLE001 - a hint never changes a result
        return None


def _to_wire(value: Any) -> Any:
    return FunctionRef(value.__name__) if isinstance(value, RemoteFunction) else value


# -- fixtures -----------------------------------------------------------------------------
@pytest.fixture
def sub(request: pytest.FixtureRequest) -> SubmissionProxy:
    """The submission's module for this grader's assignment, behind the sandbox."""
    session = request.config.stash[_SESSION]
    assignment = assignment_of(request.node)
    if assignment not in ASSIGNMENTS:
        raise LookupError(f"grader folder {assignment!r} is not an assignment in the catalog")
    entry = ASSIGNMENTS[assignment]
    marker = request.node.get_closest_marker("timeout")
    default_s = session.call_timeout_s or entry.timeout_s
    timeout_s = float(marker.args[0]) if marker else default_s
    marker = request.node.get_closest_marker("budget")
    default_s = session.test_budget_s or entry.test_budget_s
    budget_s = positive_seconds(marker.args[0], "budget(s)") if marker else default_s
    sandbox = session.sandbox_for(assignment)
    account = session.accounts[assignment]
    if sandbox is not None and (stopped := account.stopped()) is not None:
        sandbox.stop()  # the remaining tests fail at once, and no worker is started again
        raise stopped
    filename = sandbox.filename if sandbox else f"{assignment}.py"
    proxy = SubmissionProxy(sandbox, filename, timeout_s, budget_s=budget_s, account=account)
    state = request.node.stash.get(_STATE, None)
    if state is not None:
        state["proxy"] = proxy
    return proxy


@pytest.fixture
def ref(request: pytest.FixtureRequest) -> types.ModuleType:
    """The reference solution, imported in the trusted process. Hidden tests only."""
    if request.node.get_closest_marker("hidden") is None:
        raise RuntimeError("public tests may not use `ref`: students do not have the solutions")
    return request.config.stash[_SESSION].reference(assignment_of(request.node))


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> np.random.Generator:
    """A random generator seeded by the student id and the test, so inputs differ per student.

    Public tests' seeds are reproducible from the student id; hidden tests' seeds also mix in the
    instructor's secret (see autograder/seeds.py).
    """
    session = request.config.stash[_SESSION]
    key = (session.student, assignment_of(request.node), request.node.name)
    if request.node.get_closest_marker("hidden") is not None:
        return np.random.default_rng(hidden_seed(*key, secret=session.secret()))
    return np.random.default_rng(public_seed(*key))


# -- running -------------------------------------------------------------------------------
# pytest's own plugins that grading sessions do not use: leaving them out makes a session about a
# third cheaper, which is most of the cost of grading one student. Graders keep fixtures such as
# tmp_path and monkeypatch, and skip/xfail marks.
UNUSED_PLUGINS = (
    "cacheprovider", "doctest", "junitxml", "pastebin", "legacypath", "logging", "warnings",
    "faulthandler", "stepwise", "threadexception", "unraisableexception", "setuponly",
    "setupplan", "nose", "debugging", "randomly",
)  # fmt: skip
AUTOLOAD_VARIABLE = "PYTEST_DISABLE_PLUGIN_AUTOLOAD"


class GraderError(RuntimeError):
    """The graders themselves could not be collected or run."""


def run_graders(
    submission: Path,
    assignments: list[str] | None = None,
    *,
    hidden: bool = False,
    student: str | None = None,
    solutions: Path | None = None,
    hidden_tests: Path | None = None,
    json_path: Path | None = None,
    timeout_s: float | None = None,
    test_budget_s: float | None = None,
    submission_budget_s: float | None = None,
    extra_args: tuple[str, ...] = (),
    notes: dict[str, list[str]] | None = None,
    lang: str | None = None,
) -> list[TestResult]:
    """Run the graders of ``assignments`` (default: all) on a submission folder, in this process.

    The submission itself only ever runs in sandboxed workers. ``timeout_s``, ``test_budget_s``
    and ``submission_budget_s`` replace the catalog's time limit per call, budget per test and
    budget per submission (ValueError unless positive). Returns one record per test; when
    ``notes`` is a dict, it receives the notes on each assignment's file (see GradingSession.notes).
    """
    test_budget_s = positive_seconds(test_budget_s, "the test budget")
    submission_budget_s = positive_seconds(submission_budget_s, "the submission budget")
    names = list(assignments or ASSIGNMENTS)
    for name in names:
        if name not in ASSIGNMENTS:
            raise KeyError(f"unknown assignment {name!r} (known: {', '.join(ASSIGNMENTS)})")
    hidden_root = Path(hidden_tests) if hidden_tests else default_hidden_dir()
    args = [str(path) for n in names for path in grader_files(n, hidden=hidden, root=hidden_root)]
    args += [
        "-q", "--no-header", "-s", "--tb=native", *(f"-pno:{name}" for name in UNUSED_PLUGINS),
        "--rootdir", str(GRADERS_DIR), "-c", str(GRADERS_DIR / "pytest.ini"),
        "--import-mode=importlib", "--submission", str(submission),
    ]  # fmt: skip
    if hidden:
        args.append("--hidden")
    if student:
        args += ["--student", student]
    if solutions:
        args += ["--solutions", str(solutions)]
    if hidden_tests:
        args += ["--hidden-tests", str(hidden_tests)]
    if json_path:
        args += ["--aimath-json", str(json_path)]
    if lang:
        args += ["--aimath-lang", lang]
    if timeout_s:
        args += ["--call-timeout", str(timeout_s)]
    if test_budget_s is not None:
        args += ["--test-budget", repr(test_budget_s)]
    if submission_budget_s is not None:
        args += ["--submission-budget", repr(submission_budget_s)]
    args += list(extra_args)
    capture = _SessionCapture()
    autoload = os.environ.get(AUTOLOAD_VARIABLE)
    os.environ[AUTOLOAD_VARIABLE] = "1"  # installed third-party plugins stay out of grading
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            code = pytest.main(args, plugins=["autograder.plugin", capture])
    finally:
        if autoload is None:
            os.environ.pop(AUTOLOAD_VARIABLE, None)
        else:
            os.environ[AUTOLOAD_VARIABLE] = autoload
    if capture.session is None or code in (2, 3, 4):  # interrupted, internal or usage error
        raise GraderError(f"pytest could not run the graders (exit {code}):\n{out.getvalue()}")
    if capture.session.collect_errors:
        raise GraderError("graders failed to import:\n" + "\n".join(capture.session.collect_errors))
    if notes is not None:
        notes.update(capture.session.notes())
    return capture.session.results


def grader_files(assignment: str, *, hidden: bool = False, root: Path | None = None) -> list[Path]:
    """The grader modules of an assignment: the public ones (test_public.py first), then the hidden.

    Public graders ship in the package (``autograder/graders/<assignment>/``); hidden graders live
    in the course repository (``hidden/<assignment>/``, or ``root``) and are only taken when
    ``hidden`` is true. Raises GraderError when hidden tests are asked for and there are none.
    """
    public = sorted(ASSIGNMENTS[assignment].graders_dir.glob("test_*.py"))
    files = sorted(public, key=lambda p: (p.name != "test_public.py", p.name))
    if hidden:
        folder = ASSIGNMENTS[assignment].hidden_dir(root)
        secret = sorted(folder.glob("test_*.py"))
        if not secret:
            raise GraderError(
                f"no hidden tests for {assignment} at {folder} (give the course folder with "
                "--course, or set AIMATH_COURSE; students have no hidden tests)"
            )
        files += secret
    return files


class _SessionCapture:
    """Keeps a handle on the GradingSession of a pytest.main run."""

    session: GradingSession | None = None

    def pytest_configure(self, config: pytest.Config) -> None:
        self.session = config.stash.get(_SESSION, None)

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self, config: pytest.Config) -> None:
        self.session = config.stash.get(_SESSION, self.session)
