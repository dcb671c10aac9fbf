"""What can go wrong when a grader calls a submission, told apart by whose fault it is.

Every class here is the student's side of trouble (their code raised, hung, crashed, returned
something that is not plain data, or their file could not be loaded). ``NotAttempted`` marks a stub
that still raises NotImplementedError or a file that was not submitted. Anything else that escapes a
grader is the grader's own fault and is reported as an ``error``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .failures import Failure
from .i18n import Msg, msg, raw


class StudentError(Exception):
    """Base class: the submission, not the grader, caused this test to fail.

    Its message is a catalog message (``autograder/locales/engine.toml``), or plain text; the
    failure as data is ``failure``, its kind the class's ``kind``.
    """

    kind = "raised an exception"

    def __init__(self, message: Msg | str = "", *details: Msg | str, call: str = "") -> None:
        self.message = message if isinstance(message, Msg) else raw(str(message))
        self.details = list(details)
        self.call = call
        super().__init__(self.failure.render())

    @property
    def failure(self) -> Failure:
        return Failure(kind=self.kind, problem=self.message, call=self.call, details=self.details)

    def __str__(self) -> str:
        return self.failure.render()

    def headline_msg(self) -> Msg:
        """The first line of the message, as a message ('<call> did not finish ...')."""
        if not self.call:
            return self.message
        return msg("checks.subject", call=self.call, problem=self.message)


class NotAttempted(StudentError):
    """The function still raises NotImplementedError, or its file was not submitted."""

    kind = "not attempted"


class NotSubmitted(NotAttempted):
    """The assignment's file was not submitted: none of its tests could run."""

    kind = "not submitted"


@dataclass(frozen=True)
class RemoteException:
    """An exception raised by student code in the worker, as plain data."""

    type: str
    message: str
    mro: tuple[str, ...] = ()
    line: int | None = None
    function: str | None = None
    source: str | None = None
    cell: int | None = None
    output: str = field(default="", compare=False)

    def is_a(self, name: str) -> bool:
        """True when the student's exception is ``name`` or a subclass of it."""
        return name in self.mro or name == self.type

    def location(self, filename: str) -> str:
        if self.line is None:
            return filename
        cell = f", cell {self.cell}" if self.cell is not None else ""
        place = f"{filename}{cell}, line {self.line}"
        if self.function and self.function != "<module>":
            place += f", in {self.function}"
        if self.source:
            place += f": {self.source}"
        return place


class StudentRaised(StudentError):
    """The student's function raised an exception."""

    def __init__(self, call: str, filename: str, exc: RemoteException) -> None:
        self.filename, self.exc = filename, exc
        super().__init__(
            msg("engine.raised", type=exc.type, message=exc.message),
            msg("engine.at", location=exc.location(filename)),
            call=call,
        )


class CallTimeout(StudentError):
    """The call did not return within its time limit; the worker was stopped."""

    kind = "time limit"


class WorkerCrashed(StudentError):
    """The worker process ended during a call (os._exit, a segfault, the memory limit...)."""

    kind = "crashed or exited"


class UnsupportedReturn(StudentError):
    """The function returned something that is not plain data (see wire.py)."""

    kind = "unsupported return value"


class MissingFunction(StudentError):
    """The submitted module has no function of the requested name."""

    kind = "missing function"


class LoadFailed(StudentError):
    """The submission's file could not be imported (syntax error, crash at import, bad notebook)."""

    kind = "file could not be loaded"


class ProtocolError(StudentError):
    """The worker sent bytes that do not decode to a well-formed reply."""

    kind = "crashed or exited"


class GraderFault(Exception):
    """Grading failed for a reason outside the submission: the test is the grader's error."""


class WorkerKilled(GraderFault):
    """The worker was killed from outside (not by its time or memory limit, nor by itself)."""
