"""The only bytes that cross between the sandboxed worker and the grader.

A value is encoded as a JSON tree plus raw array buffers; decoding parses JSON and copies buffers
into fresh numpy arrays of allow-listed dtypes. Nothing is unpickled, evaluated or imported by name,
so arbitrary bytes from a hostile worker can at worst produce a :class:`WireError`.

    >>> decode(encode({"x": np.arange(3.0), "n": (1, 2)}))
    {'x': array([0., 1., 2.]), 'n': (1, 2)}

Plain data only: None, bool, int, float, complex, str, list, tuple, dict with str keys, numpy arrays
and scalars of boolean/integer/floating/complex dtypes, and sympy expressions as trees of
allow-listed node types. Types are matched exactly (``type(v) is``), so subclasses with a lying
``__eq__`` are refused rather than trusted.

Every message is within the caps below (size, parts, depth, integer size, array shape; for sympy:
nodes, depth, digits), checked on both sides: ``encode`` refuses a value over a cap with a message
naming the part, and ``decode`` refuses any bytes over a cap with a WireError. Decoding does work
and holds memory in proportion to the caps, whatever the bytes.
"""

from __future__ import annotations

import array
import json
import math
import re
import struct
import sys
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["WireError", "encode", "decode", "MAX_MESSAGE_BYTES", "MAX_DEPTH", "MAX_NODES"]

MAX_MESSAGE_BYTES = 256 * 1024 * 1024
MAX_HEADER_BYTES = 16 * 1024 * 1024
"""The JSON part of a message (everything but the arrays' raw buffers)."""
MAX_DEPTH = 64
MAX_NODES = 1_000_000
"""Parts of one message: each number, string, list, tuple, dict and array counts one."""
MAX_INT_BITS = 4000
"""Python ints on the wire are below 2**4000 in size (about 1200 digits)."""
MAX_ARRAY_DIMS = 32
MAX_ARRAY_ELEMENTS = MAX_MESSAGE_BYTES
"""Elements of one array, and the product of its nonzero dimensions: an empty array of shape
(2**63, 0) is refused (numpy cannot make it anyway)."""

# dtype.str values allowed on the wire: booleans, integers, floats and complex, little-endian.
ALLOWED_DTYPES = frozenset(
    [
        "|b1",
        "|i1",
        "|u1",
        "<i2",
        "<u2",
        "<i4",
        "<u4",
        "<i8",
        "<u8",
        "<f2",
        "<f4",
        "<f8",
        "<c8",
        "<c16",
    ]
)
_NUMPY_SCALARS = (
    np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint32, np.int64, np.uint64,
    np.float16, np.float32, np.float64, np.complex64, np.complex128,
)  # fmt: skip

_FRAME = struct.Struct("<II")  # header length, number of buffers
_BUFLEN = struct.Struct("<Q")
_MAX_INT_CHARS = len(str(2**MAX_INT_BITS)) + 1  # the sign and digits of the largest int allowed
_SURROGATES = re.compile("[\ud800-\udfff]")

Extension = Callable[[Any], "dict[str, Any] | None"]


class WireError(ValueError):
    """A value that cannot be encoded, or bytes that do not decode to plain data."""


def describe_type(value: Any) -> str:
    """A short, safe description of a value's type for messages (never calls the value's methods)."""
    cls = type(value)
    module = getattr(cls, "__module__", "") or ""
    qualname = getattr(cls, "__qualname__", cls.__name__)
    name = qualname if module in ("builtins", "") else f"{module}.{qualname}"
    if isinstance(value, np.ndarray) and cls is not np.ndarray:
        return f"{name} (a subclass of numpy.ndarray)"
    for base in (int, float, complex, str, list, tuple, dict):
        if isinstance(value, base) and cls is not base:
            return f"{name} (a subclass of {base.__name__})"
    return name


def encode(value: Any, *, extension: Extension | None = None) -> bytes:
    """Encode plain data into one message; raise WireError naming the first unsupported part.

    ``extension(v)`` may turn other values into JSON nodes with a ``"$"`` tag of its own (the grader
    side uses it for references to the submission's functions); it returns None for values it does
    not handle.
    """
    encoder = _Encoder(extension)
    tree = encoder.node(value, 0, "value")
    header = json.dumps(tree, allow_nan=True, separators=(",", ":")).encode()
    if len(header) > MAX_HEADER_BYTES:
        raise WireError(
            f"the value is too large to send ({len(header)} bytes besides its arrays, at most "
            f"{MAX_HEADER_BYTES}): send many numbers as a numpy array"
        )
    parts = [_FRAME.pack(len(header), len(encoder.buffers)), header]
    for buf in encoder.buffers:
        parts.append(_BUFLEN.pack(len(buf)))
        parts.append(buf)
    message = b"".join(parts)
    if len(message) > MAX_MESSAGE_BYTES:
        raise WireError(f"the value is too large to send ({len(message)} bytes)")
    return message


class _Encoder:
    """One message being encoded: its buffers, and its parts counted the way decode counts them."""

    def __init__(self, extension: Extension | None) -> None:
        self.ext = extension
        self.buffers: list[bytes] = []
        self.nodes = 0
        self.sympy_nodes = [0]

    def node(self, v: Any, depth: int, where: str) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise WireError(
                f"the value has more than {MAX_NODES:,} parts (numbers, lists, ...; the last one "
                f"at {where}): send many numbers as a numpy array"
            )
        if depth > MAX_DEPTH:
            raise WireError(f"{where} is nested more than {MAX_DEPTH} levels deep")
        t = type(v)
        if v is None or t is bool or t is str:
            return v
        if t is int:
            if v.bit_length() >= MAX_INT_BITS:
                return _unsupported(v, where, f"an integer of more than {MAX_INT_BITS} bits")
            return v
        if t is float:
            return v if math.isfinite(v) else {"$": "float", "v": repr(v)}
        if t is complex:
            return {"$": "complex", "re": self.node(v.real, depth, where),
                    "im": self.node(v.imag, depth, where)}  # fmt: skip
        if t is list:
            return [self.node(x, depth + 1, f"{where}[{i}]") for i, x in enumerate(v)]
        if t is tuple:
            items = [self.node(x, depth + 1, f"{where}[{i}]") for i, x in enumerate(v)]
            return {"$": "tuple", "items": items}
        if t is dict:
            out = {}
            for k, x in v.items():
                if type(k) is not str:
                    raise WireError(
                        f"{where} is a dict with a key of type {describe_type(k)}; only str keys"
                    )
                out[k] = self.node(x, depth + 1, f"{where}[{k!r}]")
            return {"$": "dict", "items": out}
        if t is np.ndarray:
            return self.array(v, where, scalar=False)
        if t in _NUMPY_SCALARS:
            return self.array(np.asarray(v), where, scalar=True)
        if (
            str(getattr(t, "__module__", None) or "").startswith("sympy.")
            and "sympy" in sys.modules
        ):
            return {"$": "sympy", "tree": encode_sympy(v, where, _total=self.sympy_nodes)}
        if self.ext is not None:
            node = self.ext(v)
            if node is not None:
                return node
        return _unsupported(v, where)

    def array(self, a: np.ndarray, where: str, *, scalar: bool) -> dict:
        dtype = a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" else a.dtype
        if dtype.str not in ALLOWED_DTYPES:
            raise WireError(
                f"{where} is an array of dtype {a.dtype}; only boolean, integer, float and complex "
                "arrays"
            )
        if a.ndim > MAX_ARRAY_DIMS:
            raise WireError(f"{where} has {a.ndim} dimensions (at most {MAX_ARRAY_DIMS})")
        if math.prod(max(s, 1) for s in a.shape) > MAX_ARRAY_ELEMENTS:
            raise WireError(f"{where} is an array of shape {a.shape}, too large to send")
        self.buffers.append(np.ascontiguousarray(a, dtype=dtype).tobytes())
        node = {"$": "ndarray", "dtype": dtype.str, "shape": list(a.shape),
                "buf": len(self.buffers) - 1}  # fmt: skip
        if scalar:
            node["$"] = "npscalar"
        return node


def _unsupported(v: Any, where: str, what: str | None = None) -> Any:
    raise WireError(f"{where} is {what or 'of type ' + describe_type(v)}, which cannot be returned")


def decode(message: bytes, *, extension: Callable[[dict], Any] | None = None) -> Any:
    """Decode one message into plain data within the caps; any other input raises WireError.

    ``extension(node)`` decodes nodes whose tag this module does not know (or raises WireError).
    sympy values are built without evaluating anything (see :func:`decode_sympy`).
    """
    if len(message) > MAX_MESSAGE_BYTES:
        raise WireError("message too large")
    if len(message) < _FRAME.size:
        raise WireError("message truncated")
    header_len, n_buffers = _FRAME.unpack_from(message, 0)
    if header_len > MAX_HEADER_BYTES or n_buffers > MAX_NODES:
        raise WireError("message header too large")
    if _FRAME.size + header_len + n_buffers * _BUFLEN.size > len(message):
        raise WireError("message truncated")
    pos = _FRAME.size
    header = bytes(message[pos : pos + header_len])
    pos += header_len
    offsets = array.array("q")  # where each buffer starts, then ends: 16 bytes per buffer
    for _ in range(n_buffers):
        if pos + _BUFLEN.size > len(message):
            raise WireError("message truncated")
        (size,) = _BUFLEN.unpack_from(message, pos)
        pos += _BUFLEN.size
        if size > len(message) - pos:
            raise WireError("message truncated")
        offsets.extend((pos, pos + size))
        pos += size
    if pos != len(message):
        raise WireError("trailing bytes after message")
    try:
        tree = json.loads(header.decode("utf-8"), parse_int=_parse_int)
    except WireError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireError(f"message header is not valid JSON: {str(exc)[:200]}") from None
    try:
        return _Decoder(memoryview(message), offsets, extension).node(tree, 0)
    except WireError:
        raise
    except (TypeError, ValueError, ArithmeticError, RecursionError, LookupError) as exc:
        # Defence in depth: the checks leave nothing for numpy or sympy to refuse, but if they
        # ever did, malformed bytes would still be the sender's fault, never the grader's.
        raise WireError(f"malformed message ({type(exc).__name__}: {str(exc)[:200]})") from None


def _parse_int(text: str) -> int:
    if len(text) > _MAX_INT_CHARS:  # before int(), whose cost grows with the square of the length
        raise WireError(f"message holds an integer of {len(text)} digits")
    return int(text)


class _Decoder:
    def __init__(
        self, message: memoryview, offsets: array.array, extension: Callable[[dict], Any] | None
    ):
        self.message = message
        self.offsets = offsets
        self.used: set[int] = set()
        self.extension = extension
        self.count = 0
        self.sympy_nodes = [0]

    def node(self, n: Any, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise WireError(f"message has more than {MAX_NODES:,} parts")
        if depth > MAX_DEPTH + 2:
            raise WireError(f"message nested more than {MAX_DEPTH} levels deep")
        t = type(n)
        if n is None or t is bool or t is float:
            return n
        if t is int:
            if n.bit_length() >= MAX_INT_BITS:
                raise WireError(f"message holds an integer of more than {MAX_INT_BITS} bits")
            return n
        if t is str:
            return _clean_text(n)
        if t is list:
            return [self.node(x, depth + 1) for x in n]
        if t is not dict or type(n.get("$")) is not str:
            raise WireError("malformed message node")
        tag = n["$"]
        if tag == "tuple":
            return tuple(self.node(x, depth + 1) for x in _field(n, "items", list))
        if tag == "dict":
            items = _field(n, "items", dict)
            return {_clean_text(k): self.node(x, depth + 1) for k, x in items.items()}
        if tag == "float":
            text = _field(n, "v", str)
            if text not in ("nan", "inf", "-inf"):
                raise WireError("malformed float node")
            return float(text)
        if tag == "complex":
            re_, im_ = self.node(n.get("re"), depth + 1), self.node(n.get("im"), depth + 1)
            if type(re_) is not float or type(im_) is not float:
                raise WireError("malformed complex node")
            return complex(re_, im_)
        if tag in ("ndarray", "npscalar"):
            return self.array(n, scalar=tag == "npscalar")
        if tag == "sympy":
            return decode_sympy(n.get("tree"), _total=self.sympy_nodes)
        if self.extension is not None:
            return self.extension(n)
        raise WireError(f"unknown node type {tag[:40]!r}")

    def array(self, n: dict, *, scalar: bool) -> Any:
        dtype_str = _field(n, "dtype", str)
        if dtype_str not in ALLOWED_DTYPES:
            raise WireError(f"array dtype {dtype_str[:40]!r} is not allowed")
        shape = _field(n, "shape", list)
        if (
            len(shape) > MAX_ARRAY_DIMS
            or (scalar and shape)
            or not all(type(s) is int and 0 <= s <= MAX_ARRAY_ELEMENTS for s in shape)
        ):
            raise WireError("malformed array shape")
        if math.prod(max(s, 1) for s in shape) > MAX_ARRAY_ELEMENTS:
            raise WireError(f"array of shape {tuple(shape)} is too large")
        index = _field(n, "buf", int)
        if not 0 <= index < len(self.offsets) // 2 or index in self.used:
            raise WireError("malformed array buffer reference")
        self.used.add(index)
        dtype = np.dtype(dtype_str)
        buf = self.message[self.offsets[2 * index] : self.offsets[2 * index + 1]]
        if math.prod(shape) * dtype.itemsize != len(buf):
            raise WireError("array buffer size does not match its shape and dtype")
        arr = np.frombuffer(buf, dtype=dtype).reshape(shape).copy()
        return arr[()] if scalar else arr


def _field(n: dict, key: str, kind: type) -> Any:
    value = n.get(key)
    if type(value) is not kind:
        raise WireError(f"malformed message node: {key!r} should be {kind.__name__}")
    return value


def _clean_text(text: str) -> str:
    """The text with lone surrogates (JSON allows them; no file, database or page can hold them)
    replaced by U+FFFD, so that a string from a worker cannot break the grader's output."""
    return text if text.isascii() else _SURROGATES.sub("\ufffd", text)


# -- sympy ------------------------------------------------------------------------------------
# Expressions travel as trees of allow-listed node types, e.g. x**2 + 1 as
# ["Add", ["Pow", ["Symbol", "x"], ["Integer", "2"]], ["Integer", "1"]], and are rebuilt with
# sympy's own constructors and evaluate=False: no sympify, no parsing, no eval, and no arithmetic
# (an unevaluated 9**400 to the 10000th stays three nodes). Poly travels as its expression.
SYMPY_FUNCTIONS = (
    "sin", "cos", "tan", "exp", "log", "asin", "acos", "atan", "sinh", "cosh", "tanh", "Abs",
    "sign", "sqrt",
)  # fmt: skip
SYMPY_CONSTANTS = {"pi": "Pi", "E": "Exp1", "I": "ImaginaryUnit", "oo": "Infinity",
                   "-oo": "NegativeInfinity", "zoo": "ComplexInfinity", "nan": "NaN"}  # fmt: skip
MAX_SYMPY_NODES = 20_000
"""Nodes of one sympy expression (symbols, numbers, operations)."""
MAX_MESSAGE_SYMPY_NODES = 100_000
"""Nodes of all the sympy expressions in one message together."""
MAX_SYMPY_DEPTH = 100
"""Nesting of one sympy expression (x**2 + 1 is 3 deep)."""
MAX_INTEGER_DIGITS = 400
"""Decimal digits of a sympy Integer, or of a Rational's numerator and denominator, or of a
Float's mantissa."""
MAX_POW_EXPONENT = 10_000
"""Largest numeric exponent of a power (|exponent|)."""
MAX_FLOAT_EXPONENT = 100_000
"""Largest binary exponent of a sympy Float's mantissa."""
MAX_FLOAT_PRECISION = 10_000
"""Largest precision of a sympy Float, in bits."""
_SYMBOL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,30}")
_INTEGER = re.compile(rf"-?[0-9]{{1,{MAX_INTEGER_DIGITS}}}")


def _pow_exponent_ok(exponent: Any) -> bool:
    """False for a numeric exponent beyond MAX_POW_EXPONENT (or infinite, or nan)."""
    return not exponent.is_Number or bool(exponent.is_finite and abs(exponent) <= MAX_POW_EXPONENT)


def encode_sympy(v: Any, where: str = "value", *, _total: list[int] | None = None) -> list:
    """The allow-listed tree of a sympy expression or number; WireError for anything else."""
    import sympy

    count, total = [0], [0] if _total is None else _total

    def integer(n: int) -> str:
        text = str(n) if n.bit_length() <= 4 * MAX_INTEGER_DIGITS else ""
        if not text or len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
            raise WireError(
                f"{where} contains a number of more than {MAX_INTEGER_DIGITS} digits in a sympy "
                "expression, which cannot be returned"
            )
        return text

    def walk(e: Any, depth: int) -> list:
        count[0] += 1
        total[0] += 1
        if count[0] > MAX_SYMPY_NODES or total[0] > MAX_MESSAGE_SYMPY_NODES:
            limit = (
                f"{MAX_SYMPY_NODES:,} nodes"
                if count[0] > MAX_SYMPY_NODES
                else (f"{MAX_MESSAGE_SYMPY_NODES:,} nodes in all its sympy expressions")
            )
            raise WireError(f"{where} is a sympy expression that is too large (more than {limit})")
        if depth > MAX_SYMPY_DEPTH:
            raise WireError(
                f"{where} is a sympy expression nested more than {MAX_SYMPY_DEPTH} levels deep"
            )
        if isinstance(e, sympy.Poly):
            return walk(e.as_expr(), depth)
        if isinstance(e, sympy.Integer):
            return ["Integer", integer(int(e))]
        if isinstance(e, sympy.Rational):
            return ["Rational", integer(e.p), integer(e.q)]
        if isinstance(e, sympy.Float):
            sign, man, exp, _ = e._mpf_ if e._mpf_[1] else (0, 0, 0, 0)
            if abs(exp) > MAX_FLOAT_EXPONENT or not 1 <= e._prec <= MAX_FLOAT_PRECISION:
                raise WireError(f"{where} contains a sympy Float too large or too precise")
            return ["Float", integer(-man if sign else man), exp, e._prec]
        if isinstance(e, sympy.Symbol) and type(e) in (sympy.Symbol, sympy.Dummy):
            if not _SYMBOL_NAME.fullmatch(e.name):
                raise WireError(
                    f"{where} contains a sympy symbol named {e.name[:40]!r}; names are letters, "
                    "digits and _ (at most 31)"
                )
            return ["Symbol", e.name]
        for name, attr in SYMPY_CONSTANTS.items():
            if e is getattr(sympy.S, attr):
                return [name]
        for cls in (sympy.Add, sympy.Mul, sympy.Pow):
            if type(e) is cls:
                if cls is sympy.Pow and not _pow_exponent_ok(e.exp):
                    raise WireError(
                        f"{where} contains a sympy power with an exponent beyond "
                        f"{MAX_POW_EXPONENT}, which cannot be returned"
                    )
                return [cls.__name__, *(walk(a, depth + 1) for a in e.args)]
        name = getattr(type(e), "__name__", "")
        if name in SYMPY_FUNCTIONS and type(e) is getattr(sympy, name, None) and len(e.args) == 1:
            return [name, walk(e.args[0], depth + 1)]
        raise WireError(f"{where} contains a sympy {describe_type(e)}, which cannot be returned")

    return walk(v, 0)


def decode_sympy(tree: Any, *, _total: list[int] | None = None) -> Any:
    """Rebuild a sympy expression from an allow-listed tree without evaluating it.

    Every node is built with ``evaluate=False``, so the work is linear in the size of the tree
    (at most MAX_SYMPY_NODES nodes, MAX_SYMPY_DEPTH deep, numbers of MAX_INTEGER_DIGITS digits):
    a tree of canonical sympy (what sympy builds) comes back equal to the original, and anything
    else comes back as written, unevaluated. WireError for anything malformed or over a cap.
    """
    import mpmath
    import sympy

    count, total = [0], [0] if _total is None else _total

    def integer(text: Any) -> int:
        if type(text) is not str or not _INTEGER.fullmatch(text):
            raise WireError(
                f"malformed sympy number (at most {MAX_INTEGER_DIGITS} digits, written out)"
            )
        return int(text)

    def build(node: Any, depth: int) -> Any:
        count[0] += 1
        total[0] += 1
        if count[0] > MAX_SYMPY_NODES:
            raise WireError(f"sympy expression too large (more than {MAX_SYMPY_NODES:,} nodes)")
        if total[0] > MAX_MESSAGE_SYMPY_NODES:
            raise WireError(
                f"sympy expressions too large (more than {MAX_MESSAGE_SYMPY_NODES:,} nodes in all)"
            )
        if depth > MAX_SYMPY_DEPTH:
            raise WireError(f"sympy expression nested more than {MAX_SYMPY_DEPTH} levels deep")
        if type(node) is not list or not node or type(node[0]) is not str:
            raise WireError("malformed sympy node")
        kind, args = node[0], node[1:]
        if kind == "Symbol" and len(args) == 1 and type(args[0]) is str:
            if not _SYMBOL_NAME.fullmatch(args[0]):
                raise WireError("malformed sympy symbol name")
            return sympy.Symbol(args[0])
        if kind == "Integer" and len(args) == 1:
            return sympy.Integer(integer(args[0]))
        if kind == "Rational" and len(args) == 2:
            p, q = integer(args[0]), integer(args[1])
            if q == 0:
                raise WireError("malformed sympy rational")
            return sympy.Rational(p, q)
        if kind == "Float" and len(args) == 3:
            man, exp, prec = integer(args[0]), args[1], args[2]
            if (
                type(exp) is not int
                or type(prec) is not int
                or abs(exp) > MAX_FLOAT_EXPONENT
                or not 1 <= prec <= MAX_FLOAT_PRECISION
            ):
                raise WireError("malformed sympy float")
            if not man:
                return sympy.Float(0.0, precision=prec)
            with mpmath.workprec(prec):  # keep every bit of the mantissa
                return sympy.Float(mpmath.mpf((man, exp)), precision=prec)
        if kind in SYMPY_CONSTANTS and not args:
            return getattr(sympy.S, SYMPY_CONSTANTS[kind])
        if kind in ("Add", "Mul") and args:
            parts = [build(a, depth + 1) for a in args]
            return getattr(sympy, kind)(*parts, evaluate=False)
        if kind == "Pow" and len(args) == 2:
            base, exponent = build(args[0], depth + 1), build(args[1], depth + 1)
            if not _pow_exponent_ok(exponent):
                raise WireError(f"sympy power with an exponent beyond {MAX_POW_EXPONENT}")
            return sympy.Pow(base, exponent, evaluate=False)
        if kind in SYMPY_FUNCTIONS and len(args) == 1:
            return getattr(sympy, kind)(build(args[0], depth + 1), evaluate=False)
        raise WireError(f"sympy node {kind[:40]!r} is not allowed")

    try:
        return build(tree, 0)
    except WireError:
        raise
    except (TypeError, ValueError, ArithmeticError, RecursionError, LookupError) as exc:
        raise WireError(f"malformed sympy expression ({type(exc).__name__})") from None
