"""Probe inputs of lec03_gradient_descent for `aimath mutants`: inputs only, never expected values.

A mutant that survives the graders and its reference are both called on every input below, each
in a sandboxed worker, and what they return is compared. Functions ``fun`` are the module's own
(``FunctionRef("func")``, resolved by name in each worker) or sympy expressions passed as data
(``lecture_function``). The inputs cover the contract: int, float and sympy points, lists and
arrays, polynomials and non-polynomials, starts at the minimum, a single update that lands on it,
and stopping boundaries where the size of the slope (or of the gradient) equals epsilon exactly.
Learning rates are large enough that every run takes few of the slow sympy updates.
"""

import numpy as np
import sympy as sym
from sympy.abc import x, y

from autograder.arguments import lecture_function
from autograder.sandbox.process import FunctionRef

FUNC, FUNC_MULTI = FunctionRef("func"), FunctionRef("func_multi")


def probes(rng):
    """(function name, args, kwargs) for every function of lec03_gradient_descent."""
    out = []
    # func: int, float and sympy points.
    for v in (3, -1, 0, float(rng.uniform(-5, 5)), 2.5, sym.Rational(3, 2)):
        out.append(("func", (v,), {}))
    # func_gradient: the module's func, other polynomials and non-polynomials.
    for v in (3, -1, 0.0, float(rng.uniform(-5, 5))):
        out.append(("func_gradient", (FUNC, v), {}))
    for expr in ((x - 2) ** 2 + 1, x**3 - 3 * x, x**2 + sym.sin(x), sym.exp(x) - 2 * x):
        out.append(("func_gradient", (lecture_function(expr, x), float(rng.uniform(-2, 2))), {}))
    # gradient_descent: the module's func from several starts and rates, a start at the minimum,
    # one update that lands on it, and epsilon equal to a slope the run reaches exactly.
    out += [("gradient_descent", (FUNC, 3), {"lr_rate": 0.1}),
            ("gradient_descent", (FUNC, float(rng.uniform(-6, 4))), {"lr_rate": 0.25}),
            ("gradient_descent", (FUNC, -1), {}),
            ("gradient_descent", (FUNC, 2.0), {"lr_rate": 0.3, "epsilon": 1e-3}),
            ("gradient_descent", (lecture_function(x**2, x), 1.5), {"lr_rate": 0.5}),
            ("gradient_descent", (lecture_function(x**2, x), 0.5),
             {"lr_rate": 0.1, "epsilon": 1.0}),
            ("gradient_descent", (lecture_function((x - 1) ** 2, x), 9.0),
             {"lr_rate": 0.25, "epsilon": 1.0}),
            ("gradient_descent", (lecture_function(x**2 + sym.sin(x), x), 2.0), {"lr_rate": 0.2}),
            ("gradient_descent", (lecture_function(3 * x**2 - 4 * x, x), -1.0),
             {"lr_rate": 0.1, "epsilon": 1e-6})]  # fmt: skip
    # func_multi: int and float points, lists and arrays.
    for v in ([1, 2], [0, 0], [1.5, -2.5], np.array([0.3, 0.7]), rng.uniform(-3, 3, size=2)):
        out.append(("func_multi", (v,), {}))
    # eval_gradient: the module's func_multi and other functions of x and y, at points x != y.
    for v in ([1.0, 2.0], [-0.5, 3.0], [2, -1], rng.uniform(-2, 2, size=2)):
        out.append(("eval_gradient", (FUNC_MULTI, v), {}))
    for expr in ((x - 1) ** 2 + 3 * (y + 2) ** 2, x**2 * y + y**3, x * y + sym.sin(x)):
        out.append(("eval_gradient", (lecture_function(expr, x, y), [1.5, -0.5]), {}))
    # gradient_descent_multi: func_multi from several starts (lists and arrays), a start at the
    # minimum, one update that lands on it, and epsilon equal to the gradient's norm ([3, 4]).
    circle = lecture_function(x**2 + y**2, x, y)
    out += [("gradient_descent_multi", (FUNC_MULTI, [1.0, 2.0]), {"lr_rate": 0.2}),
            ("gradient_descent_multi", (FUNC_MULTI, rng.uniform(-2, 2, size=2)), {"lr_rate": 0.1}),
            ("gradient_descent_multi", (FUNC_MULTI, [1, -1]), {"lr_rate": 0.2, "epsilon": 1e-3}),
            ("gradient_descent_multi", (circle, [0.0, 0.0]), {}),
            ("gradient_descent_multi", (circle, [1.0, -2.0]), {"lr_rate": 0.5}),
            ("gradient_descent_multi", (circle, [1.5, 2.0]), {"lr_rate": 0.1, "epsilon": 5.0}),
            ("gradient_descent_multi", (lecture_function((x - 1) ** 2 + 3 * (y + 2) ** 2, x, y),
                                        np.array([0.5, 0.5])), {"lr_rate": 0.15})]  # fmt: skip
    return out
