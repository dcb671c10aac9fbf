"""The only bytes that cross between the sandboxed worker and the grader.

A value is encoded as a JSON tree plus raw array buffers; decoding parses JSON and copies buffers
into fresh numpy arrays of allow-listed dtypes. Nothing is unpickled, evaluated or imported by name,
so arbitrary bytes from a hostile worker can at worst produce a :class:`WireError`.

    >>> decode(encode({"x": np.arange(3.0), "n": (1, 2)}))
    {'x': array([0., 1., 2.]), 'n': (1, 2)}

Plain data only: None, bool, int, float, complex, str, list, tuple, dict with str keys, numpy arrays
and scalars of boolean/integer/floating/complex dtypes. Types are matched exactly (``type(v) is``),
so subclasses with a lying ``__eq__`` are refused rather than trusted.
"""

from __future__ import annotations

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
MAX_DEPTH = 64
MAX_NODES = 1_000_000
MAX_ARRAY_DIMS = 32

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
    buffers: list[bytes] = []
    tree = _encode(value, buffers, extension, 0, "value")
    header = json.dumps(tree, allow_nan=True, separators=(",", ":")).encode()
    parts = [_FRAME.pack(len(header), len(buffers)), header]
    for buf in buffers:
        parts.append(_BUFLEN.pack(len(buf)))
        parts.append(buf)
    message = b"".join(parts)
    if len(message) > MAX_MESSAGE_BYTES:
        raise WireError(f"the value is too large to send ({len(message)} bytes)")
    return message


def _encode(v: Any, buffers: list[bytes], ext: Extension | None, depth: int, where: str) -> Any:
    if depth > MAX_DEPTH:
        raise WireError(f"{where} is nested more than {MAX_DEPTH} levels deep")
    t = type(v)
    if v is None or t is bool or t is str:
        return v
    if t is int:
        return v if abs(v).bit_length() < 4000 else _unsupported(v, where, "an integer this large")
    if t is float:
        return v if math.isfinite(v) else {"$": "float", "v": repr(v)}
    if t is complex:
        return {"$": "complex", "re": _encode(v.real, buffers, ext, depth, where),
                "im": _encode(v.imag, buffers, ext, depth, where)}  # fmt: skip
    if t is list:
        return [_encode(x, buffers, ext, depth + 1, f"{where}[{i}]") for i, x in enumerate(v)]
    if t is tuple:
        items = [_encode(x, buffers, ext, depth + 1, f"{where}[{i}]") for i, x in enumerate(v)]
        return {"$": "tuple", "items": items}
    if t is dict:
        out = {}
        for k, x in v.items():
            if type(k) is not str:
                raise WireError(
                    f"{where} is a dict with a key of type {describe_type(k)}; only str keys"
                )
            out[k] = _encode(x, buffers, ext, depth + 1, f"{where}[{k!r}]")
        return {"$": "dict", "items": out}
    if t is np.ndarray:
        return _encode_array(v, buffers, where, scalar=False)
    if t in _NUMPY_SCALARS:
        return _encode_array(np.asarray(v), buffers, where, scalar=True)
    if str(getattr(t, "__module__", None) or "").startswith("sympy.") and "sympy" in sys.modules:
        return {"$": "sympy", "tree": encode_sympy(v, where)}
    if ext is not None:
        node = ext(v)
        if node is not None:
            return node
    return _unsupported(v, where)


def _encode_array(a: np.ndarray, buffers: list[bytes], where: str, *, scalar: bool) -> dict:
    dtype = a.dtype.newbyteorder("<") if a.dtype.byteorder == ">" else a.dtype
    if dtype.str not in ALLOWED_DTYPES:
        raise WireError(
            f"{where} is an array of dtype {a.dtype}; only boolean, integer, float and complex arrays"
        )
    if a.ndim > MAX_ARRAY_DIMS:
        raise WireError(f"{where} has {a.ndim} dimensions (at most {MAX_ARRAY_DIMS})")
    buffers.append(np.ascontiguousarray(a, dtype=dtype).tobytes())
    node = {"$": "ndarray", "dtype": dtype.str, "shape": list(a.shape), "buf": len(buffers) - 1}
    if scalar:
        node["$"] = "npscalar"
    return node


def _unsupported(v: Any, where: str, what: str | None = None) -> Any:
    raise WireError(f"{where} is {what or 'of type ' + describe_type(v)}, which cannot be returned")


def decode(message: bytes, *, extension: Callable[[dict], Any] | None = None) -> Any:
    """Decode one message into plain data; any malformed input raises WireError.

    ``extension(node)`` decodes nodes whose tag this module does not know (or raises WireError).
    """
    if len(message) > MAX_MESSAGE_BYTES:
        raise WireError("message too large")
    if len(message) < _FRAME.size:
        raise WireError("message truncated")
    header_len, n_buffers = _FRAME.unpack_from(message, 0)
    if header_len > MAX_HEADER_BYTES or n_buffers > MAX_NODES:
        raise WireError("message header too large")
    pos = _FRAME.size
    header = message[pos : pos + header_len]
    if len(header) != header_len:
        raise WireError("message truncated")
    pos += header_len
    buffers = []
    for _ in range(n_buffers):
        if pos + _BUFLEN.size > len(message):
            raise WireError("message truncated")
        (size,) = _BUFLEN.unpack_from(message, pos)
        pos += _BUFLEN.size
        if pos + size > len(message):
            raise WireError("message truncated")
        buffers.append(message[pos : pos + size])
        pos += size
    if pos != len(message):
        raise WireError("trailing bytes after message")
    try:
        tree = json.loads(header.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireError(f"message header is not valid JSON: {exc}") from None
    return _Decoder(buffers, extension).node(tree, 0)


class _Decoder:
    def __init__(self, buffers: list[bytes], extension: Callable[[dict], Any] | None):
        self.buffers = buffers
        self.used: set[int] = set()
        self.extension = extension
        self.count = 0

    def node(self, n: Any, depth: int) -> Any:
        self.count += 1
        if depth > MAX_DEPTH + 2 or self.count > MAX_NODES:
            raise WireError("message nested too deeply or too large")
        t = type(n)
        if n is None or t in (bool, int, str):
            return n
        if t is float:
            return n
        if t is list:
            return [self.node(x, depth + 1) for x in n]
        if t is not dict or type(n.get("$")) is not str:
            raise WireError("malformed message node")
        tag = n["$"]
        if tag == "tuple":
            return tuple(self.node(x, depth + 1) for x in _field(n, "items", list))
        if tag == "dict":
            items = _field(n, "items", dict)
            return {k: self.node(x, depth + 1) for k, x in items.items()}
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
            return decode_sympy(n.get("tree"))
        if self.extension is not None:
            return self.extension(n)
        raise WireError(f"unknown node type {tag!r}")

    def array(self, n: dict, *, scalar: bool) -> Any:
        dtype_str = _field(n, "dtype", str)
        if dtype_str not in ALLOWED_DTYPES:
            raise WireError(f"array dtype {dtype_str!r} is not allowed")
        shape = _field(n, "shape", list)
        if len(shape) > MAX_ARRAY_DIMS or any(type(s) is not int or s < 0 for s in shape):
            raise WireError("malformed array shape")
        index = _field(n, "buf", int)
        if not 0 <= index < len(self.buffers) or index in self.used:
            raise WireError("malformed array buffer reference")
        self.used.add(index)
        dtype = np.dtype(dtype_str)
        buf = self.buffers[index]
        if math.prod(shape) * dtype.itemsize != len(buf):
            raise WireError("array buffer size does not match its shape and dtype")
        arr = np.frombuffer(buf, dtype=dtype).reshape(shape).copy()
        if scalar:
            if shape != []:
                raise WireError("malformed numpy scalar")
            return arr[()]
        return arr


def _field(n: dict, key: str, kind: type) -> Any:
    value = n.get(key)
    if type(value) is not kind:
        raise WireError(f"malformed message node: {key!r} should be {kind.__name__}")
    return value


# -- sympy ------------------------------------------------------------------------------------
# Expressions travel as trees of allow-listed node types, e.g. x**2 + 1 as
# ["Add", ["Pow", ["Symbol", "x"], ["Integer", "2"]], ["Integer", "1"]], and are rebuilt with
# sympy's own constructors: no sympify, no parsing, no eval. Poly travels as its expression.
SYMPY_FUNCTIONS = (
    "sin", "cos", "tan", "exp", "log", "asin", "acos", "atan", "sinh", "cosh", "tanh", "Abs",
    "sign", "sqrt",
)  # fmt: skip
SYMPY_CONSTANTS = {"pi": "Pi", "E": "Exp1", "I": "ImaginaryUnit", "oo": "Infinity",
                   "-oo": "NegativeInfinity", "zoo": "ComplexInfinity", "nan": "NaN"}  # fmt: skip
MAX_SYMPY_NODES = 20_000
MAX_INTEGER_DIGITS = 400
MAX_POW_EXPONENT = 10_000
_SYMBOL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,30}$")


def encode_sympy(v: Any, where: str = "value") -> list:
    """The allow-listed tree of a sympy expression or number; WireError for anything else."""
    import sympy

    count = [0]

    def walk(e: Any, depth: int) -> list:
        count[0] += 1
        if count[0] > MAX_SYMPY_NODES or depth > 400:
            raise WireError(f"{where} is a sympy expression that is too large")
        if isinstance(e, sympy.Poly):
            return walk(e.as_expr(), depth)
        if isinstance(e, sympy.Integer):
            return ["Integer", str(int(e))]
        if isinstance(e, sympy.Rational):
            return ["Rational", str(e.p), str(e.q)]
        if isinstance(e, sympy.Float):
            sign, man, exp, _ = e._mpf_ if e._mpf_[1] else (0, 0, 0, 0)
            return ["Float", str(-man if sign else man), exp, e._prec]
        if isinstance(e, sympy.Symbol) and type(e) in (sympy.Symbol, sympy.Dummy):
            return ["Symbol", e.name]
        for name, attr in SYMPY_CONSTANTS.items():
            if e is getattr(sympy.S, attr):
                return [name]
        for cls in (sympy.Add, sympy.Mul, sympy.Pow):
            if type(e) is cls:
                return [cls.__name__, *(walk(a, depth + 1) for a in e.args)]
        name = getattr(type(e), "__name__", "")
        if name in SYMPY_FUNCTIONS and type(e) is getattr(sympy, name, None):
            return [name, *(walk(a, depth + 1) for a in e.args)]
        raise WireError(f"{where} contains a sympy {describe_type(e)}, which cannot be returned")

    return walk(v, 0)


def decode_sympy(tree: Any) -> Any:
    """Rebuild a sympy expression from an allow-listed tree; WireError for anything malformed."""
    import mpmath
    import sympy

    count = [0]

    def integer(text: Any) -> int:
        if type(text) is not str or not re.fullmatch(rf"-?[0-9]{{1,{MAX_INTEGER_DIGITS}}}", text):
            raise WireError("malformed sympy integer")
        return int(text)

    def build(node: Any, depth: int) -> Any:
        count[0] += 1
        if count[0] > MAX_SYMPY_NODES or depth > 400:
            raise WireError("sympy expression too large")
        if type(node) is not list or not node or type(node[0]) is not str:
            raise WireError("malformed sympy node")
        kind, args = node[0], node[1:]
        if kind == "Symbol" and len(args) == 1 and type(args[0]) is str:
            if not _SYMBOL_NAME.match(args[0]):
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
                or abs(exp) > 100_000
                or not 1 <= prec <= 10_000
            ):
                raise WireError("malformed sympy float")
            value = mpmath.mpf((man, exp)) if man else 0.0
            return sympy.Float(value, precision=prec)
        if kind in SYMPY_CONSTANTS and not args:
            return getattr(sympy.S, SYMPY_CONSTANTS[kind])
        if kind in ("Add", "Mul") and args:
            return getattr(sympy, kind)(*(build(a, depth + 1) for a in args))
        if kind == "Pow" and len(args) == 2:
            base, exponent = build(args[0], depth + 1), build(args[1], depth + 1)
            if exponent.is_Number and abs(exponent) > MAX_POW_EXPONENT:
                raise WireError("sympy power with too large an exponent")
            return sympy.Pow(base, exponent)
        if kind in SYMPY_FUNCTIONS and args:
            return getattr(sympy, kind)(*(build(a, depth + 1) for a in args))
        raise WireError(f"sympy node {kind!r} is not allowed")

    try:
        return build(tree, 0)
    except WireError:
        raise
    except (TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        raise WireError(f"malformed sympy expression ({type(exc).__name__})") from None
