"""The seeds of the graders' random inputs, and the instructor's secret behind the hidden ones.

Public inputs must be reproducible by a student from their id alone; hidden inputs must not be
reproducible by anyone without the instructor's secret, even with the hidden tests in hand. The
last tests prove it end to end with a spy submission that prints what it is called with.
"""

from __future__ import annotations

import ast
import hashlib
import os
import stat
from pathlib import Path

import numpy as np
import pytest

from autograder import seeds
from autograder.plugin import run_graders
from autograder.sandbox.process import Sandbox
from autograder.seeds import (
    config_dir,
    hidden_seed,
    instructor_secret,
    public_seed,
    secret_fingerprint,
    secret_path,
)

REPO = Path(__file__).resolve().parents[1]
L1 = "lec01_vectors"
STUDENT = "s1"


@pytest.fixture
def no_secret(monkeypatch, tmp_path) -> Path:
    """No $AIMATH_SECRET, and a configuration folder (not created yet) under tmp_path."""
    monkeypatch.delenv("AIMATH_SECRET", raising=False)
    folder = tmp_path / "config" / "aimath"
    monkeypatch.setenv("AIMATH_CONFIG_DIR", str(folder))
    return folder


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- where the secret lives ---------------------------------------------------------------------
def test_config_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("AIMATH_CONFIG_DIR", str(tmp_path / "explicit"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_dir() == tmp_path / "explicit"
    assert secret_path() == tmp_path / "explicit" / "secret"
    monkeypatch.delenv("AIMATH_CONFIG_DIR")
    assert config_dir() == tmp_path / "xdg" / "aimath"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config_dir() == tmp_path / "home" / ".config" / "aimath"
    assert not (tmp_path / "home").exists()  # only named, never created


def test_the_secret_file_is_created_on_first_use_and_private(no_secret):
    assert not no_secret.exists()
    secret = instructor_secret()
    path = no_secret / "secret"
    assert path.is_file()
    assert mode(path) == 0o600
    assert mode(no_secret) == 0o700
    assert len(secret) == 2 * seeds.SECRET_BYTES and bytes.fromhex(secret.decode())
    assert path.read_text() == secret.decode() + "\n"
    assert [p.name for p in no_secret.iterdir()] == ["secret"]  # nothing else left behind


def test_the_secret_is_read_back_the_same_next_time(no_secret):
    first = instructor_secret()
    written = (no_secret / "secret").stat().st_mtime_ns
    assert instructor_secret() == first
    assert instructor_secret(create=False) == first
    assert (no_secret / "secret").stat().st_mtime_ns == written  # not rewritten


def test_two_configuration_folders_get_different_secrets(no_secret, monkeypatch, tmp_path):
    first = instructor_secret()
    monkeypatch.setenv("AIMATH_CONFIG_DIR", str(tmp_path / "other"))
    assert instructor_secret() != first


def test_a_secret_written_by_the_instructor_is_used_as_is(no_secret):
    no_secret.mkdir(parents=True)
    (no_secret / "secret").write_text("  my course secret 2024 \n")
    assert instructor_secret() == b"my course secret 2024"


def test_the_environment_variable_wins(no_secret, monkeypatch):
    from_file = instructor_secret()
    monkeypatch.setenv("AIMATH_SECRET", "from the environment")
    assert instructor_secret() == b"from the environment"
    assert instructor_secret(create=False) == b"from the environment"
    monkeypatch.setenv("AIMATH_SECRET", "")  # set but empty: as if not set
    assert instructor_secret() == from_file


def test_the_environment_variable_alone_creates_no_file(no_secret, monkeypatch):
    monkeypatch.setenv("AIMATH_SECRET", "from the environment")
    assert instructor_secret() == b"from the environment"
    assert not no_secret.exists()


@pytest.mark.parametrize("content", ["", "\n", "   \n\t\n"])
def test_an_empty_secret_file_is_an_error(no_secret, content):
    no_secret.mkdir(parents=True)
    (no_secret / "secret").write_text(content)
    with pytest.raises(ValueError, match="is empty"):
        instructor_secret()
    with pytest.raises(ValueError, match="is empty"):
        instructor_secret(create=False)
    assert (no_secret / "secret").read_text() == content  # never silently replaced


def test_without_create_a_missing_secret_is_a_lookup_error(no_secret):
    with pytest.raises(LookupError) as info:
        instructor_secret(create=False)
    assert "AIMATH_SECRET" in str(info.value) and str(no_secret / "secret") in str(info.value)
    assert not no_secret.exists()  # nothing created


def test_graders_starting_at_once_agree_on_one_secret(no_secret, monkeypatch):
    """Another grader asks for the secret while this one is creating it: both get the same one,
    and neither sees a half-written file."""
    real_fdopen = os.fdopen
    seen: list[bytes] = []

    def fdopen(fd, *args, **kwargs):
        if not seen:  # the other grader, once, while this one holds the new file open
            seen.append(b"")
            seen[0] = instructor_secret()
        return real_fdopen(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", fdopen)
    mine = instructor_secret()
    monkeypatch.setattr(os, "fdopen", real_fdopen)
    assert seen == [mine]
    assert instructor_secret() == mine
    assert [p.name for p in no_secret.iterdir()] == ["secret"]
    assert mode(no_secret / "secret") == 0o600


def test_without_hard_links_the_secret_is_created_exclusively(no_secret, monkeypatch):
    def no_link(src, dst):
        raise PermissionError(1, "Operation not permitted")  # as on FAT or some network mounts

    monkeypatch.setattr(os, "link", no_link)
    secret = instructor_secret()
    assert (no_secret / "secret").read_text() == secret.decode() + "\n"
    assert mode(no_secret / "secret") == 0o600
    assert [p.name for p in no_secret.iterdir()] == ["secret"]
    assert instructor_secret() == secret


def test_the_fingerprint_names_a_secret_without_revealing_it():
    a, b = secret_fingerprint(b"instructor secret A"), secret_fingerprint(b"instructor secret B")
    assert a == secret_fingerprint(b"instructor secret A") and a != b
    assert len(a) == 16 and int(a, 16) >= 0
    assert (
        a not in hashlib.sha256(b"instructor secret A").hexdigest()
    )  # not the plain hash of the secret


# -- the seeds --------------------------------------------------------------------------------------
def test_public_seeds_are_reproducible_from_the_student_id_alone(monkeypatch):
    digest = hashlib.sha256(b"alice\0lec01_vectors\0test_l2_norm_lecture_example").digest()
    expected = int.from_bytes(digest[:8], "little")
    assert public_seed("alice", L1, "test_l2_norm_lecture_example") == expected
    monkeypatch.setenv("AIMATH_SECRET", "some other secret")  # the secret plays no part
    assert public_seed("alice", L1, "test_l2_norm_lecture_example") == expected
    assert 0 <= expected < 2**64


def test_seeds_differ_by_student_assignment_and_test():
    base = ("alice", L1, "test_x")
    variants = [("bob", L1, "test_x"), ("alice", "lec02_matrices", "test_x"), ("alice", L1, "test_y"),
                ("alic", "elec01_vectors", "test_x")]  # fmt: skip
    for key in variants:
        assert public_seed(*key) != public_seed(*base)
        assert hidden_seed(*key, secret=b"A") != hidden_seed(*base, secret=b"A")


def test_hidden_seeds_depend_on_the_secret_and_not_on_the_public_formula():
    key = ("alice", L1, "test_hidden_l2_norm")
    a = hidden_seed(*key, secret=b"A")
    assert a == hidden_seed(*key, secret=b"A")  # same secret, same inputs
    assert a != hidden_seed(*key, secret=b"B")
    assert a != public_seed(*key)
    assert 0 <= a < 2**64
    # A guess at the formula without the secret does not give it either.
    plain = hashlib.sha256(b"hidden\0alice\0lec01_vectors\0test_hidden_l2_norm").digest()
    assert a != int.from_bytes(plain[:8], "little")


def test_a_hidden_seed_needs_a_secret():
    with pytest.raises(ValueError, match="secret"):
        hidden_seed("alice", L1, "test_hidden_l2_norm", secret=b"")


# -- end to end: a spy submission -------------------------------------------------------------------
SPY_L2_NORM = '''
def l2_norm(x):
    """A spy: shows what it was called with, and returns a wrong value so that the test fails."""
    print(repr(np.asarray(x).tolist()))
    return -1.0
'''


def spy_source() -> str:
    """The reference, with l2_norm replaced by the spy (l2_distance and angle call it too)."""
    source = (REPO / "solutions" / f"{L1}.py").read_text()
    node = next(
        n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == "l2_norm"
    )
    lines = source.split("\n")
    return "\n".join(lines[: node.lineno - 1] + [SPY_L2_NORM] + lines[node.end_lineno :])


PRINTED = "\n\nYour code printed:\n"


def printed(results, *, hidden: bool) -> dict[str, str]:
    """What the spy printed in each failing test, by test name."""
    return {
        r.nodeid.split("::")[-1]: "\n".join(
            line  # each call's block starts with "(in <the call>)"
            for line in r.output.split(PRINTED, 1)[1].splitlines()
            if not line.startswith("(in ")
        )
        for r in results
        if r.hidden == hidden and PRINTED in r.output
    }


def grade_spy(folder: Path, monkeypatch, secret: str):
    monkeypatch.setenv("AIMATH_SECRET", secret)
    return run_graders(folder, [L1], hidden=True, student=STUDENT)


@pytest.fixture(scope="module")
def spy_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("spy")
    (folder / f"{L1}.py").write_text(spy_source())
    return folder


def test_hidden_inputs_cannot_be_reproduced_without_the_secret(spy_folder, monkeypatch):
    a1 = grade_spy(spy_folder, monkeypatch, "instructor secret A")
    a2 = grade_spy(spy_folder, monkeypatch, "instructor secret A")
    b = grade_spy(spy_folder, monkeypatch, "instructor secret B")

    # The spy costs the l2 tests (and those of the functions that call l2_norm), nothing else.
    failed = {r.nodeid.split("::")[-1] for r in a1 if r.status != "passed"}
    assert "test_hidden_l2_norm" in failed and "test_l2_distance_shape_mismatch" in failed
    assert not any("hadamard" in name or "l1_" in name or "projection" in name for name in failed)

    # Same secret: the same inputs, hence the same grades and the same feedback.
    assert [(r.nodeid, r.status, r.score, r.output) for r in a1] == [
        (r.nodeid, r.status, r.score, r.output) for r in a2
    ]

    hidden_a, hidden_b = printed(a1, hidden=True), printed(b, hidden=True)
    assert "test_hidden_l2_norm" in hidden_a and hidden_a.keys() == hidden_b.keys()
    for name in hidden_a:  # another secret: other hidden inputs, in every hidden test
        assert hidden_a[name] != hidden_b[name], name
    assert [(r.nodeid, r.status) for r in a1] == [(r.nodeid, r.status) for r in b]

    # What test_hidden_l2_norm printed is its first input: x = rng.normal(size=1) of the rng that
    # the secret seeds. With the secret it is reproduced; from the public formula it is not.
    def first_input(seed: int) -> str:
        return repr(np.random.default_rng(seed).normal(size=1).tolist())

    key = (STUDENT, L1, "test_hidden_l2_norm")
    assert hidden_a["test_hidden_l2_norm"] == first_input(
        hidden_seed(*key, secret=b"instructor secret A")
    )
    assert hidden_b["test_hidden_l2_norm"] == first_input(
        hidden_seed(*key, secret=b"instructor secret B")
    )
    assert hidden_a["test_hidden_l2_norm"] != first_input(public_seed(*key))

    # The public tests' inputs are the same whatever the secret, and a student reproduces them
    # from their id: test_l2_distance_shape_mismatch calls l2_distance(x, y), i.e. l2_norm(x - y).
    public_a, public_b = printed(a1, hidden=False), printed(b, hidden=False)
    assert public_a == public_b and "test_l2_distance_shape_mismatch" in public_a
    rng = np.random.default_rng(public_seed(STUDENT, L1, "test_l2_distance_shape_mismatch"))
    x, y = rng.normal(size=4), rng.normal(size=4)
    assert public_a["test_l2_distance_shape_mismatch"] == repr((x - y).tolist())
    assert [(r.nodeid, r.output) for r in a1 if not r.hidden] == [
        (r.nodeid, r.output) for r in b if not r.hidden
    ]


def test_other_students_get_other_hidden_inputs(spy_folder, monkeypatch):
    monkeypatch.setenv("AIMATH_SECRET", "instructor secret A")
    mine = printed(run_graders(spy_folder, [L1], hidden=True, student=STUDENT), hidden=True)
    theirs = printed(run_graders(spy_folder, [L1], hidden=True, student="s2"), hidden=True)
    assert mine["test_hidden_l2_norm"] != theirs["test_hidden_l2_norm"]


SNOOP = """
import os


def snoop(path):
    try:
        with open(path) as f:
            found = f.read()
    except OSError as exc:
        found = type(exc).__name__
    return os.environ.get("AIMATH_SECRET"), found
"""


def test_the_submission_cannot_read_the_secret(no_secret, monkeypatch, tmp_path):
    secret = instructor_secret().decode()
    monkeypatch.setenv("AIMATH_SECRET", "from the environment")
    (tmp_path / f"{L1}.py").write_text(SNOOP)
    with Sandbox(tmp_path / f"{L1}.py", L1, hide=(config_dir(),)) as box:
        (env, found), _ = box.call("snoop", (str(secret_path()),), {}, timeout_s=5, call="snoop")
        isolation = box.isolation
    assert env is None  # the worker's environment never holds the secret
    if "hidden-paths" not in isolation:
        pytest.skip("hiding the configuration folder needs root")
    assert secret not in found and found in ("FileNotFoundError", "PermissionError")


@pytest.mark.parametrize("secret", ["x", "short secret"])
def test_a_short_secret_is_refused_with_advice(monkeypatch, secret):
    monkeypatch.setenv("AIMATH_SECRET", secret)
    with pytest.raises(ValueError, match=r"too short .* at least 16.*secrets.token_hex"):
        instructor_secret()


def test_a_release_with_a_short_secret_fails_before_writing(monkeypatch, tmp_path):
    from autograder.bundle import release_course
    from autograder.release import ReleaseError

    monkeypatch.setenv("AIMATH_SECRET", "x")
    with pytest.raises(ReleaseError, match="too short"):
        release_course(tmp_path / "bundle")
    assert not (tmp_path / "bundle").exists() and not list(tmp_path.iterdir())
