"""Fuzzing wire.decode: whatever bytes a hostile worker sends, decode returns a value within the
caps or raises WireError, quickly, and without allocating beyond the caps.

A few hundred examples per test keep this to seconds, the same ones on every run (derandomize);
``AIMATH_FUZZ_EXAMPLES=20000 python -m pytest tests/test_wire_fuzz.py`` runs a longer campaign.
"""

from __future__ import annotations

import json
import math
import os
import struct
import subprocess
import sys
import textwrap
import time
from datetime import timedelta

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
sympy = pytest.importorskip("sympy")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from sympy.abc import x, y  # noqa: E402

from autograder import wire  # noqa: E402
from autograder.wire import WireError, decode, encode  # noqa: E402

EXAMPLES = int(os.environ.get("AIMATH_FUZZ_EXAMPLES", "250"))
PER_MESSAGE_S = 0.5
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=2 * PER_MESSAGE_S),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SEED_VALUES = [
    None, True, -7, 2**80, -(10**400), 1.5, math.inf, math.nan, "héllo\ud800", 1 + 2j,
    [1, [2, [3.5]]], (1, "a", None), {"a": 1, "b": [1, 2], "c": {"d": (3,)}},
    np.arange(6.0).reshape(2, 3), np.array([True, False]), np.zeros((0, 3)), np.array(3.0),
    np.arange(4, dtype=np.uint64) + 2**63, np.array([1 + 1j], np.complex64), np.float32(0.25),
    {"id": 3, "ok": True, "value": (np.eye(2), [x**2 + 2 * x + 3]), "output": "printed"},
    sympy.sin(x) * sympy.exp(-(x**2)) + sympy.pi, sympy.Rational(-3, 7) * y**-2,
    sympy.Float("1.25e-300"), sympy.Pow(sympy.Integer(9**400), 10000, evaluate=False),
    (x + y) ** 10000, sympy.sqrt(x) - sympy.oo, sympy.I * sympy.log(x) + sympy.zoo,
]  # fmt: skip
SEEDS = [encode(v) for v in SEED_VALUES]
NASTY = [
    2**31, 2**32, 2**63, 2**64, -1, -(2**63), 10**400, 0, 1e308, -1e308, 0.5, "", "x" * 300,
    "<f8", "|O", "nan", [], {}, None, True, [2**63, 0], [1] * 40, {"$": "sympy"},
    ["Pow", ["Integer", "9" * 400], ["Integer", "10000"]], ["Float", "1", 10**9, 10**9],
]  # fmt: skip


def within_caps(value, message_size: int) -> None:
    """Assert a decoded value is plain data within every cap of wire.py."""
    nodes, array_bytes = [0], [0]

    def walk(v, depth):
        nodes[0] += 1
        assert nodes[0] <= wire.MAX_NODES and depth <= wire.MAX_DEPTH + 2
        t = type(v)
        if v is None or t in (bool, float, complex):
            return
        if t is int:
            assert v.bit_length() < wire.MAX_INT_BITS
        elif t is str:
            v.encode("utf-8")  # no lone surrogates
        elif t in (list, tuple):
            for item in v:
                walk(item, depth + 1)
        elif t is dict:
            for k, item in v.items():
                assert type(k) is str
                k.encode("utf-8")
                walk(item, depth + 1)
        elif t is np.ndarray or isinstance(v, np.generic):
            arr = np.asarray(v)
            assert arr.dtype.str in wire.ALLOWED_DTYPES and arr.ndim <= wire.MAX_ARRAY_DIMS
            assert math.prod(max(s, 1) for s in arr.shape) <= wire.MAX_ARRAY_ELEMENTS
            array_bytes[0] += arr.nbytes
        else:
            assert isinstance(v, sympy.Expr), f"unexpected {t}"
            sympy_within_caps(v)

    walk(value, 0)
    assert array_bytes[0] <= message_size


def sympy_within_caps(expr) -> None:
    count = [0]

    def walk(e, depth):
        count[0] += 1
        assert count[0] <= wire.MAX_SYMPY_NODES and depth <= wire.MAX_SYMPY_DEPTH
        if isinstance(e, sympy.Integer):
            assert len(str(abs(int(e)))) <= wire.MAX_INTEGER_DIGITS
        for a in e.args:
            walk(a, depth + 1)

    walk(expr, 0)


def decodes_safely(message: bytes) -> None:
    start = time.perf_counter()
    try:
        value = decode(message)
    except WireError:
        value = WireError
    elapsed = time.perf_counter() - start
    assert elapsed < PER_MESSAGE_S, f"decode took {elapsed:.2f} s"
    if value is not WireError:
        within_caps(value, len(message))


def frame(header: bytes, buffers: list[bytes]) -> bytes:
    out = struct.pack("<II", len(header), len(buffers)) + header
    for b in buffers:
        out += struct.pack("<Q", len(b)) + b
    return out


def split(message: bytes) -> tuple[object, list[bytes]]:
    header_len, n = struct.unpack_from("<II", message, 0)
    tree = json.loads(message[8 : 8 + header_len])
    pos, buffers = 8 + header_len, []
    for _ in range(n):
        (size,) = struct.unpack_from("<Q", message, pos)
        buffers.append(message[pos + 8 : pos + 8 + size])
        pos += 8 + size
    return tree, buffers


def paths(tree, prefix=()):
    """Every place in a JSON tree: (path, value)."""
    yield prefix, tree
    if isinstance(tree, list):
        for i, item in enumerate(tree):
            yield from paths(item, (*prefix, i))
    elif isinstance(tree, dict):
        for k, item in tree.items():
            yield from paths(item, (*prefix, k))


def replaced(tree, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(tree, list):
        return [replaced(v, rest, new) if i == head else v for i, v in enumerate(tree)]
    return {k: replaced(v, rest, new) if k == head else v for k, v in tree.items()}


# -- arbitrary bytes ------------------------------------------------------------------------------
@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_bytes(message):
    decodes_safely(message)


@FUZZ
@given(st.binary(max_size=2048), st.lists(st.binary(max_size=64), max_size=4))
def test_arbitrary_headers_in_a_valid_frame(header, buffers):
    decodes_safely(frame(header, buffers))


# -- mutated valid messages -----------------------------------------------------------------------
MUTATION = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=16)),
    st.tuples(st.just("delete"), st.floats(0, 1, exclude_max=True), st.integers(1, 64)),
    st.tuples(st.just("truncate"), st.floats(0, 1)),
)


@FUZZ
@given(st.sampled_from(SEEDS), st.lists(MUTATION, min_size=1, max_size=6))
def test_flipped_inserted_deleted_and_truncated_bytes(seed, mutations):
    msg = bytearray(seed)
    for op, where, *arg in mutations:
        at = int(where * len(msg))
        if op == "flip" and msg:
            msg[min(at, len(msg) - 1)] = arg[0]
        elif op == "insert":
            msg[at:at] = arg[0]
        elif op == "delete":
            del msg[at : at + arg[0]]
        else:
            del msg[at:]
    decodes_safely(bytes(msg))


@FUZZ
@given(st.sampled_from(SEEDS), st.data())
def test_header_fields_replaced_by_huge_negative_or_odd_values(seed, data):
    tree, buffers = split(seed)
    for _ in range(data.draw(st.integers(1, 3))):
        path, _ = data.draw(st.sampled_from(list(paths(tree))))
        new = data.draw(st.one_of(st.sampled_from(NASTY), st.integers(), st.floats(), st.text()))
        tree = replaced(tree, path, new)
    decodes_safely(frame(json.dumps(tree).encode(), buffers))


FRAME_NUMBERS = st.sampled_from([0, 1, 7, 8, 2**31 - 1, 2**31, 2**32 - 1])


@FUZZ
@given(st.sampled_from(SEEDS), FRAME_NUMBERS, FRAME_NUMBERS, st.sampled_from([0, 2**63, 2**64 - 1]))
def test_frame_lengths_replaced_by_huge_numbers(seed, header_len, n_buffers, buffer_len):
    msg = bytearray(seed)
    choice = (header_len + n_buffers + buffer_len) % 3
    if choice == 0:
        struct.pack_into("<I", msg, 0, header_len)
    elif choice == 1:
        struct.pack_into("<I", msg, 4, n_buffers)
    elif struct.unpack_from("<I", msg, 4)[0]:
        struct.pack_into("<Q", msg, 8 + struct.unpack_from("<I", msg, 0)[0], buffer_len)
    decodes_safely(bytes(msg))


# -- generated trees: nodes of every tag with any fields, nested past the caps ----------------------
JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
    st.sampled_from(NASTY[:20]),
)  # fmt: skip
TAGS = ["tuple", "dict", "float", "complex", "ndarray", "npscalar", "sympy", "pickle", ""]
SYMPY_KINDS = ["Symbol", "Integer", "Rational", "Float", "Add", "Mul", "Pow", "sin", "log", "pi",
               "nan", "oo", "Lambda", "Function"]  # fmt: skip


def tagged(children):
    return st.builds(
        lambda tag, fields: {"$": tag, **fields},
        st.sampled_from(TAGS),
        st.dictionaries(
            st.sampled_from(["items", "v", "re", "im", "dtype", "shape", "buf", "tree"]),
            st.one_of(
                children,
                st.sampled_from(sorted(wire.ALLOWED_DTYPES)),
                st.lists(st.integers(-1, 2**64), max_size=4),
            ),  # fmt: skip
            max_size=4,
        ),
    )


def sympy_nodes(children):
    return st.builds(
        lambda kind, args: [kind, *args],
        st.sampled_from(SYMPY_KINDS),
        st.lists(
            st.one_of(children, st.text("0123456789-x", max_size=12), st.integers()), max_size=3
        ),
    )


JSON_TREES = st.recursive(
    JSON_LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        tagged(children),
        sympy_nodes(children),
        st.builds(lambda t: {"$": "sympy", "tree": t}, sympy_nodes(children)),
    ),  # fmt: skip
    max_leaves=40,
)


@FUZZ
@given(JSON_TREES, st.lists(st.binary(max_size=32), max_size=3))
def test_generated_trees_of_every_node_type(tree, buffers):
    decodes_safely(frame(json.dumps(tree).encode(), buffers))


@FUZZ
@given(
    st.sampled_from(["list", "tuple", "dict", "sympy", "complex"]),
    st.integers(wire.MAX_DEPTH - 2, 2000),
)
def test_nesting_deeper_than_the_caps(kind, depth):
    opening, closing = {
        "list": ("[", "]"),
        "tuple": ('{"$":"tuple","items":[', "]}"),
        "dict": ('{"$":"dict","items":{"k":', "}}"),
        "complex": ('{"$":"complex","im":0.0,"re":', "}"),
        "sympy": ('["sin",', "]"),
    }[kind]
    inner = '["Symbol","x"]' if kind == "sympy" else "1.5"
    header = opening * depth + inner + closing * depth
    if kind == "sympy":
        header = '{"$":"sympy","tree":' + header + "}"
    decodes_safely(frame(header.encode(), []))


# -- memory: the worst messages within the caps, decoded under an address-space limit --------------
WORST_CASES = textwrap.dedent(
    """
    import json, resource, struct, sys, time
    import numpy as np
    from autograder import wire

    def frame(header, buffers=()):
        out = [struct.pack("<II", len(header), len(buffers)), header]
        for b in buffers:
            out += [struct.pack("<Q", len(b)), b]
        return b"".join(out)

    H = wire.MAX_HEADER_BYTES
    def fill(unit, opening=b"[", closing=b"]"):
        n = (H - 2) // len(unit)
        return opening + unit * (n - 1) + unit.rstrip(b",") + closing

    cases = {
        "empty lists": lambda: frame(fill(b"[],")),
        "empty dicts": lambda: frame(fill(b"{},")),
        "floats": lambda: frame(fill(b"0.5,")),
        "strings": lambda: frame(fill(b'"abcdefgh",')),
        "one long string": lambda: frame(b'"' + b"a" * (H - 2) + b'"'),
        "dict keys": lambda: frame(b'{"$":"dict","items":{' + b",".join(
            b'"%d":0' % i for i in range(H // 12)) + b"}}"),
        "deep": lambda: frame(b"[" * (H // 2) + b"]" * (H // 2)),
        "digits": lambda: frame(b"[" + b"9" * (H - 2) + b"]"),
        "buffers": lambda: frame(b"[]", [b""] * wire.MAX_NODES),
        "big array": lambda: frame(json.dumps({"$": "ndarray", "dtype": "|u1",
            "shape": [wire.MAX_MESSAGE_BYTES - 200], "buf": 0}).encode(),
            [bytes(wire.MAX_MESSAGE_BYTES - 200)]),
        "sympy nodes": lambda: frame(json.dumps([{"$": "sympy", "tree": ["Add"] + [
            ["Integer", str(10**18 + i)] for i in range(wire.MAX_SYMPY_NODES - 1)]}] * 6).encode()),
        "sympy digits": lambda: frame(json.dumps([{"$": "sympy", "tree": ["Add"] + [
            ["Integer", "9" * 400]] * (wire.MAX_SYMPY_NODES - 1)}]).encode()),
        "empty arrays": lambda: frame(json.dumps([{"$": "ndarray", "dtype": "<f8",
            "shape": [2**28, 0], "buf": i} for i in range(100_000)]).encode(),
            [b""] * 100_000),
    }
    base = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
    limit = base + int(sys.argv[1]) * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for name, make in cases.items():
        message = make()
        start = time.perf_counter()
        try:
            wire.decode(message)
            outcome = "decoded"
        except wire.WireError as exc:
            outcome = "WireError: " + str(exc)[:60]
        del message
        print(f"{name}: {outcome} in {time.perf_counter() - start:.2f} s", flush=True)
    print("peak", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, "MiB")
    """
)
# Room above the interpreter's own footprint: the message itself (up to MAX_MESSAGE_BYTES), one
# copy of its buffers, and JSON trees of a MAX_HEADER_BYTES header.
DECODE_ROOM_MB = 1200


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc: Linux")
def test_the_worst_messages_decode_within_a_bounded_address_space(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", WORST_CASES, str(DECODE_ROOM_MB)], capture_output=True, text=True,
        timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr[-3000:]
    lines = out.stdout.splitlines()
    assert len(lines) == 14 and lines[-1].startswith("peak"), out.stdout
    for line in lines[:-1]:
        seconds = float(line.rsplit(" in ", 1)[1].split()[0])
        assert seconds < 5.0, line
