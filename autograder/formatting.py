"""Short, readable renderings of values and calls for feedback messages.

>>> format_call("l2_norm", (np.array([1, 7, 2]),), {})
'l2_norm(array([1, 7, 2]))'
"""

from __future__ import annotations

from typing import Any

import numpy as np

MAX_VALUE_CHARS = 300


def format_value(value: Any, *, max_chars: int = MAX_VALUE_CHARS) -> str:
    """repr-like text for plain data; large arrays are summarised by shape and dtype."""
    if type(value) is np.ndarray:
        text = np.array2string(
            value, separator=", ", threshold=12, edgeitems=2, precision=8, max_line_width=10_000
        )
        text = " ".join(f"array({text})".split())
        if len(text) > max_chars:
            return f"array(shape={value.shape}, dtype={value.dtype})"
        return text
    if isinstance(value, np.generic):
        text = repr(value.item())
    elif type(value) is float:
        text = repr(value)
    elif isinstance(value, list | tuple) and len(value) > 20:
        text = f"<{type(value).__name__} of {len(value)} items>"
    elif type(value) in (list, tuple):
        items = [format_value(v, max_chars=max_chars) for v in value]
        text = ", ".join(items) + ("," if type(value) is tuple and len(items) == 1 else "")
        text = f"[{text}]" if type(value) is list else f"({text})"
    elif type(value) is dict and len(value) <= 20:
        items = [f"{k!r}: {format_value(v, max_chars=max_chars)}" for k, v in value.items()]
        text = "{" + ", ".join(items) + "}"
    elif type(value) is dict:
        text = f"<dict of {len(value)} items>"
    elif str(getattr(type(value), "__module__", None) or "").startswith("sympy."):
        from .bounded import sympy_text  # sympy's printer evaluates numbers: print it bounded

        text = sympy_text(value, max_chars=max_chars)
    else:
        text = repr(value)
    if len(text) > max_chars:
        text = text[: max_chars - 3] + "..."
    return text


def format_call(name: str, args: tuple, kwargs: dict) -> str:
    """``name(arg, ..., key=value)`` with each argument rendered by format_value."""
    parts = [format_value(a, max_chars=120) for a in args]
    parts += [f"{k}={format_value(v, max_chars=120)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"
