"""wire.py: plain data round-trips; anything else is refused; arbitrary bytes never get past decode."""

from __future__ import annotations

import json
import math
import random
import struct
import sys
import time

import numpy as np
import pytest

from autograder import wire
from autograder.wire import WireError, decode, encode

VALUES = [
    None, True, False, 0, -7, 2**80, 1.5, -0.0, math.inf, -math.inf, "héllo", "",
    1 + 2j, [], [1, [2, [3.5]]], (), (1, "a", None), {"a": 1, "b": [1, 2], "c": {"d": (3,)}},
    np.arange(6.0).reshape(2, 3), np.array([True, False]), np.zeros((0, 3)), np.array(3.0),
    np.arange(5, dtype=np.int8), np.arange(4, dtype=np.uint64), np.array([1 + 1j], np.complex64),
    np.float64(2.5), np.int64(-3), np.float32(0.25), np.bool_(True),
]  # fmt: skip


def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b or (a != a and b != b)


@pytest.mark.parametrize(
    "value", VALUES, ids=[f"{type(v).__name__}{i}" for i, v in enumerate(VALUES)]
)
def test_round_trip_keeps_type_and_value(value):
    assert same(decode(encode(value)), value)


def test_nan_round_trips():
    assert math.isnan(decode(encode(math.nan)))
    assert np.isnan(decode(encode(np.array([np.nan])))[0])


def test_big_endian_and_non_contiguous_arrays_arrive_as_native_copies():
    a = np.arange(12, dtype=">f8").reshape(3, 4)[:, ::2]
    b = decode(encode(a))
    assert b.dtype == np.dtype("<f8") and np.array_equal(a, b) and b.flags.writeable


class Liar(np.ndarray):
    def __eq__(self, other):
        return True


class FloatLiar(float):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize(
    "value, fragment",
    [
        (np.zeros(3).view(Liar), "subclass of numpy.ndarray"),
        (FloatLiar(1.0), "subclass of float"),
        (np.array(["a"]), "dtype <U1"),
        (np.array([object()]), "dtype object"),
        (np.zeros(2, dtype=[("a", "f8")]), "dtype"),
        ({1: 2}, "key of type int"),
        ([1, object()], "value[1] is of type object"),
        (lambda: 1, "function"),
        (np.datetime64("2020-01-01"), "datetime64"),
    ],
)
def test_unsupported_values_are_refused_with_a_message(value, fragment):
    with pytest.raises(WireError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        encode(value)


def test_self_referencing_and_too_deep_values_are_refused():
    loop: list = []
    loop.append(loop)
    with pytest.raises(WireError, match="nested"):
        encode(loop)


def frame(header: object, *buffers: bytes) -> bytes:
    h = json.dumps(header).encode()
    out = struct.pack("<II", len(h), len(buffers)) + h
    for b in buffers:
        out += struct.pack("<Q", len(b)) + b
    return out


@pytest.mark.parametrize(
    "message",
    [
        b"",
        b"\x00" * 3,
        frame({"$": "pickle", "data": "gASV"}),
        frame({"$": "ndarray", "dtype": "|O", "shape": [1], "buf": 0}, b"\x00" * 8),
        frame({"$": "ndarray", "dtype": "<f8", "shape": [2], "buf": 0}, b"\x00" * 8),
        frame({"$": "ndarray", "dtype": "<f8", "shape": [-1], "buf": 0}, b"\x00" * 8),
        frame({"$": "ndarray", "dtype": "<f8", "shape": [1], "buf": 1}, b"\x00" * 8),
        frame([{"$": "ndarray", "dtype": "<f8", "shape": [1], "buf": 0}] * 2, b"\x00" * 8),
        frame({"$": "dict"}),
        frame({"$": "float", "v": "__import__('os')"}),
        frame({"no": "tag"}),
        frame(1) + b"trailing",
        struct.pack("<II", 10, 0) + b"{",
    ],
)
def test_malformed_messages_raise_wire_error(message):
    with pytest.raises(WireError):
        decode(message)


def test_fuzzed_bytes_only_ever_raise_wire_error():
    rnd = random.Random(1234)
    seeds = [encode(v) for v in VALUES]
    for _ in range(3000):
        msg = bytearray(rnd.choice(seeds))
        for _ in range(rnd.randint(1, 4)):
            op = rnd.random()
            if op < 0.5 and msg:
                msg[rnd.randrange(len(msg))] = rnd.randrange(256)
            elif op < 0.75:
                del msg[rnd.randrange(len(msg) + 1) :]
            else:
                msg += bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 8)))
        try:
            decode(bytes(msg))
        except WireError:
            pass


def test_extension_hooks_carry_custom_nodes_both_ways():
    class Ref:
        name = "f"

    msg = encode(
        [Ref()],
        extension=lambda v: {"$": "function", "name": v.name} if isinstance(v, Ref) else None,
    )
    assert decode(msg, extension=lambda n: ("ref", n["name"])) == [("ref", "f")]
    with pytest.raises(WireError, match="unknown node type"):
        decode(msg)


def test_size_limit(monkeypatch):
    monkeypatch.setattr(wire, "MAX_MESSAGE_BYTES", 1000)
    with pytest.raises(WireError, match="too large"):
        encode(np.zeros(1000))


# -- sympy ----------------------------------------------------------------------------------------
sympy = pytest.importorskip("sympy")
from sympy.abc import x, y  # noqa: E402

SYMPY_VALUES = [
    sympy.Integer(18), sympy.Rational(1, 3), sympy.Float(0.1), sympy.Float(-2.5), sympy.Float(0),
    sympy.Float("1e-300"), x, x**2 + 2 * x + 3, sympy.sin(x) * sympy.exp(-(x**2)) + sympy.pi,
    x**2 + 2 * y**2, sympy.sqrt(x) / 3, sympy.log(x) - sympy.E, -sympy.oo, sympy.I * x,
]  # fmt: skip


@pytest.mark.parametrize("value", SYMPY_VALUES, ids=[str(v) for v in SYMPY_VALUES])
def test_sympy_values_round_trip(value):
    back = decode(encode(value))
    assert back == value and type(back) is type(value)


def test_poly_travels_as_its_expression_and_floats_keep_their_bits():
    assert decode(encode(sympy.poly(x**2 + 2 * x + 3))) == x**2 + 2 * x + 3
    f = sympy.Float(1) / 3
    assert decode(encode(f))._mpf_ == f._mpf_


@pytest.mark.parametrize(
    "value, fragment",
    [
        (sympy.Function("g")(x), "of type g"),
        (sympy.Matrix([[1, 2]]), "MutableDenseMatrix"),
        (sympy.Eq(x, 1), "Equality"),
        (sympy.Integral(x, x), "Integral"),
    ],
)
def test_sympy_values_outside_the_allow_list_are_refused(value, fragment):
    with pytest.raises(WireError, match=fragment):
        encode(value)


@pytest.mark.parametrize(
    "tree",
    [
        ["Symbol", "__import__('os').system('true')"],
        ["Symbol", "x", "extra"],
        ["Pow", ["Integer", "10"], ["Integer", "100000000"]],
        ["Integer", "1" * 500],
        ["Integer", "12abc"],
        ["Rational", "1", "0"],
        ["Float", "1", 10**9, 53],
        ["Float", "1", 0, 0],
        ["Function", ["Symbol", "x"]],
        ["Add"],
        ["Lambda", ["Symbol", "x"], ["Symbol", "x"]],
        "x**2",
        [["Symbol", "x"]],
        ["Add"] + [["Symbol", "x"]] * 30_000,
    ],
)
def test_malformed_sympy_trees_are_refused(tree):
    with pytest.raises(WireError):
        decode(frame({"$": "sympy", "tree": tree}))


# -- caps: the same on both sides, and every violation a WireError --------------------------------
@pytest.mark.parametrize(
    "shape", [[2**63, 0], [0, 2**63], [2**40, 2**40, 0], [2**31] * 3 + [0], [2**64], [-1, 0]]
)
def test_a_forged_shape_is_refused_even_for_an_empty_buffer(shape):
    with pytest.raises(WireError, match="shape"):
        decode(frame({"$": "ndarray", "dtype": "<f8", "shape": shape, "buf": 0}, b""))


def test_empty_arrays_within_the_caps_decode():
    empty = frame({"$": "ndarray", "dtype": "<f8", "shape": [10**6, 0], "buf": 0}, b"")
    assert decode(empty).shape == (10**6, 0)
    with pytest.raises(WireError, match="too large to send"):
        encode(np.zeros((2**20, 0, 2**20)))


def test_ints_are_capped_on_both_sides(monkeypatch):
    assert decode(encode(2**3999 - 1)) == 2**3999 - 1
    assert decode(encode(-(10**400))) == -(10**400)
    with pytest.raises(WireError, match="more than 4000 bits"):
        encode(2**4000)
    with pytest.raises(WireError, match="integer"):
        decode(frame(2**4000))
    # A long run of digits is refused before int() spends quadratic time on it, however Python's
    # own limit on int digits is set.
    monkeypatch.setattr(sys, "set_int_max_str_digits", sys.set_int_max_str_digits)
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        header = b"[" + b"7" * 5_000_000 + b"]"
        start = time.monotonic()
        with pytest.raises(WireError, match="digits"):
            decode(struct.pack("<II", len(header), 0) + header)
        assert time.monotonic() - start < 1.0
    finally:
        sys.set_int_max_str_digits(old)


def test_the_number_of_parts_is_capped_on_both_sides(monkeypatch):
    monkeypatch.setattr(wire, "MAX_NODES", 100)
    assert decode(encode([0.5] * 99)) == [0.5] * 99  # the list and its 99 items
    with pytest.raises(WireError, match="more than 100 parts"):
        encode([0.5] * 100)
    with pytest.raises(WireError, match="more than 100 parts"):
        decode(frame([0.5] * 100))
    # A dict, a list and a tuple count one part each, a complex three: 102 parts.
    with pytest.raises(WireError, match="parts"):
        encode({"a": [(1 + 2j,) * 33]})
    assert decode(encode({"a": [(1 + 2j,) * 32]}))["a"][0][0] == 1 + 2j


def test_nesting_is_capped_on_both_sides():
    deep: list = []
    for _ in range(wire.MAX_DEPTH):
        deep = [deep]
    assert decode(encode(deep)) == deep
    with pytest.raises(WireError, match="nested"):
        encode([deep])
    header = b"[" * 5000 + b"]" * 5000
    with pytest.raises(WireError):
        decode(struct.pack("<II", len(header), 0) + header)
    header = b"[" * 100_000  # deeper than json can recurse, and not even closed
    with pytest.raises(WireError):
        decode(struct.pack("<II", len(header), 0) + header)


@pytest.mark.parametrize("field", ["header", "buffers", "buffer length"])
def test_huge_frame_fields_are_refused_at_once(field):
    message = bytearray(encode([np.zeros(3), np.ones(2)]))
    if field == "header":
        struct.pack_into("<I", message, 0, 2**32 - 1)
    elif field == "buffers":
        struct.pack_into("<I", message, 4, 2**32 - 1)
    else:
        header_len = struct.unpack_from("<I", message, 0)[0]
        struct.pack_into("<Q", message, 8 + header_len, 2**64 - 1)
    start = time.monotonic()
    with pytest.raises(WireError):
        decode(bytes(message))
    assert time.monotonic() - start < 0.1


def test_lone_surrogates_arrive_as_replacement_characters():
    value = decode(encode({"out\ud800": ["a\udfffb", "ok", "한국어"]}))
    assert value == {"out\ufffd": ["a\ufffdb", "ok", "한국어"]}
    json.dumps(value, ensure_ascii=False).encode("utf-8")  # printable, storable


def test_anything_numpy_might_still_refuse_is_a_wire_error(monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("numpy refused")

    monkeypatch.setattr(wire.np, "frombuffer", broken)
    with pytest.raises(WireError, match="numpy refused"):
        decode(encode(np.zeros(3)))


def test_sympy_decoding_never_evaluates():
    tower = sympy.Pow(sympy.Integer(9**400), 10000, evaluate=False)
    start = time.monotonic()
    back = decode(encode(tower))
    assert time.monotonic() - start < 0.5  # evaluating it takes seconds and 1.6 MB
    assert type(back) is sympy.Pow and back.args == (sympy.Integer(9**400), sympy.Integer(10000))
    assert decode(encode(sympy.Add(x, x, evaluate=False))).args == (x, x)
    assert decode(encode(sympy.sin(sympy.pi, evaluate=False))) != 0
    big = (x + y + sympy.Symbol("a")) ** 10000
    assert decode(encode(big)) == big and type(decode(encode(big))) is sympy.Pow


@pytest.mark.parametrize(
    "value, fragment",
    [
        (sympy.Integer(10**400), "more than 400 digits"),
        (sympy.Rational(1, 10**400), "more than 400 digits"),
        (sympy.Float("1." + "3" * 500, 600), "more than 400 digits"),
        (sympy.Float("1e60000"), "too large or too precise"),
        (sympy.Float(1, 4000), "too large or too precise"),
        (x**10001, "exponent beyond 10000"),
        (x**sympy.oo, "exponent beyond 10000"),
        (sympy.Symbol("α"), "symbol named 'α'"),
        (sympy.Symbol("x" * 40), "symbol named"),
        (sympy.atan2(x, y), "atan2"),
    ],
)
def test_sympy_values_over_a_cap_are_refused_when_sent(value, fragment):
    with pytest.raises(WireError, match=fragment):
        encode(value)


def test_sympy_caps_hold_on_both_sides(monkeypatch):
    monkeypatch.setattr(wire, "MAX_SYMPY_NODES", 50)
    monkeypatch.setattr(wire, "MAX_MESSAGE_SYMPY_NODES", 120)
    monkeypatch.setattr(wire, "MAX_SYMPY_DEPTH", 10)
    symbols = sympy.symbols("s0:60")
    ok = sympy.Add(*symbols[:49])  # 50 nodes
    assert decode(encode(ok)) == ok
    with pytest.raises(WireError, match="too large"):
        encode(sympy.Add(*symbols[:50]))
    with pytest.raises(WireError, match="too large"):
        decode(frame({"$": "sympy", "tree": ["Add"] + [["Symbol", "x"]] * 50}))
    assert len(decode(encode([ok, ok]))) == 2
    with pytest.raises(WireError, match="too large"):  # 150 nodes in one message
        encode([ok, ok, ok])
    with pytest.raises(WireError, match="too large"):
        decode(frame([{"$": "sympy", "tree": ["Add"] + [["Symbol", "x"]] * 49}] * 3))
    nested = x
    for _ in range(10):
        nested = sympy.sin(nested)
    assert decode(encode(nested)) == nested
    with pytest.raises(WireError, match="nested"):
        encode(sympy.sin(nested))
    tree = ["Symbol", "x"]
    for _ in range(11):
        tree = ["sin", tree]
    with pytest.raises(WireError, match="nested"):
        decode(frame({"$": "sympy", "tree": tree}))


@pytest.mark.parametrize(
    "tree",
    [
        ["Integer", "1" * 401],
        ["Rational", "1", "2" * 401],
        ["Float", "1" * 401, 0, 53],
        ["Float", "1", 100_001, 53],
        ["Float", "1", 0, 10_001],
        ["Pow", ["Symbol", "x"], ["Integer", "10001"]],
        ["Pow", ["Symbol", "x"], ["nan"]],
        ["sin", ["Symbol", "x"], ["Symbol", "y"]],
        ["log", ["Symbol", "x"], ["Integer", "2"]],
        ["Symbol", "x\n"],
        ["Integer", 5],
        ["Float", "1", 0.5, 53],
        ["Add", ["Symbol", "x"], "y"],
        ["Mul", None],
    ],
)
def test_sympy_trees_over_a_cap_or_malformed_are_refused(tree):
    with pytest.raises(WireError):
        decode(frame({"$": "sympy", "tree": tree}))


def test_high_precision_floats_keep_every_bit():
    f = sympy.Float("1.234567890123456789012345678901234567890123", 45)
    back = decode(encode(f))
    assert back._mpf_ == f._mpf_ and back._prec == f._prec
