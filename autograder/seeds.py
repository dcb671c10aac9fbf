"""Seeds of the graders' random inputs, and the instructor's secret that keeps hidden ones unguessable.

    >>> public_seed("alice", "lec01_vectors", "test_l2_norm")      # anyone can reproduce it
    >>> hidden_seed("alice", "lec01_vectors", "test_hidden_angle", secret=instructor_secret())

Public tests are seeded by sha256(student, assignment, test), so a student can reproduce the inputs
of their own self-check. Hidden tests are seeded by HMAC-SHA256 keyed with the instructor's secret:
whoever has the hidden tests (a leaked copy, a former student) still cannot compute any student's
hidden inputs. The secret is ``$AIMATH_SECRET`` if set, else the file ``secret`` in the instructor's
configuration folder (``$AIMATH_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/aimath``, else
``~/.config/aimath``), created with 32 random bytes on first use. It is never in the course
repository, a student bundle or a worker's environment, and the same secret gives the same inputs,
so re-runs give the same grades.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

SECRET_VARIABLE = "AIMATH_SECRET"
CONFIG_VARIABLE = "AIMATH_CONFIG_DIR"
SECRET_FILE = "secret"
SECRET_BYTES = 32
MIN_SECRET_CHARS = 16


def config_dir() -> Path:
    """The instructor's aimath configuration folder (it may not exist yet)."""
    if os.environ.get(CONFIG_VARIABLE):
        return Path(os.environ[CONFIG_VARIABLE])
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "aimath"


def secret_path() -> Path:
    """The file that holds the instructor's secret when $AIMATH_SECRET is not set."""
    return config_dir() / SECRET_FILE


def instructor_secret(*, create: bool = True) -> bytes:
    """The instructor's secret: $AIMATH_SECRET, else the configuration file (created if missing).

    Raises:
        LookupError: there is no secret and ``create`` is False.
    """
    value = os.environ.get(SECRET_VARIABLE)
    if value:
        return _strong(value, f"${SECRET_VARIABLE}")
    path = secret_path()
    try:
        return _read_secret(path)
    except FileNotFoundError:
        if not create:
            raise LookupError(
                f"no instructor secret: set ${SECRET_VARIABLE} or create {path}"
            ) from None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return _create_secret(path, secrets.token_hex(SECRET_BYTES))


def _create_secret(path: Path, token: str) -> bytes:
    """Write a new secret file, or read the one another grader wrote first.

    The secret is written in full under a temporary name (mode 0600) and then hard-linked into
    place, which fails if the file exists: two graders starting at once agree on whichever secret
    was linked first, and neither ever reads a half-written (empty) file. Where the filesystem has
    no hard links, the file is created with O_EXCL instead.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{SECRET_FILE}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(token + "\n")
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _read_secret(path)
        except OSError:  # no hard links here
            return _create_exclusive(path, token)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return token.encode("ascii")


def _create_exclusive(path: Path, token: str) -> bytes:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    return token.encode("ascii")


def _read_secret(path: Path) -> bytes:
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        raise ValueError(f"{path} is empty: delete it to create a new secret, or fill it in")
    return _strong(text, str(path))


def _strong(text: str, where: str) -> bytes:
    """The secret's bytes; a short one could be guessed (and would be found in every file)."""
    if len(text) < MIN_SECRET_CHARS:
        raise ValueError(
            f"the instructor's secret in {where} is too short ({len(text)} characters; at least "
            f"{MIN_SECRET_CHARS}): use a random one, such as the output of "
            '`python -c "import secrets; print(secrets.token_hex(32))"`'
        )
    return text.encode("utf-8")


def secret_fingerprint(secret: bytes) -> str:
    """A short public name for a secret (for grader versions and logs); reveals nothing of it."""
    return hashlib.sha256(b"aimath-secret-fingerprint\0" + secret).hexdigest()[:16]


def _key(student: str, assignment: str, test: str) -> bytes:
    return f"{student}\0{assignment}\0{test}".encode()


def public_seed(student: str, assignment: str, test: str) -> int:
    """The seed of a public test's ``rng``: reproducible by the student from their id."""
    digest = hashlib.sha256(_key(student, assignment, test)).digest()
    return int.from_bytes(digest[:8], "little")


def hidden_seed(student: str, assignment: str, test: str, *, secret: bytes) -> int:
    """The seed of a hidden test's ``rng``: HMAC-SHA256 of the same key under the secret."""
    if not secret:
        raise ValueError("hidden inputs need the instructor's secret")
    digest = hmac.new(secret, b"hidden\0" + _key(student, assignment, test), "sha256").digest()
    return int.from_bytes(digest[:8], "little")
