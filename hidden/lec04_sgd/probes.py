"""Probe inputs of lec04_sgd for `aimath mutants`: inputs only, never expected values.

A mutant that survives the graders and its reference are both called on every input below, each
in a sandboxed worker, and what they return (or raise) is compared. The inputs are numpy arrays
of floats and of small integers (not lists, NaN or infinity), on which the reference's behaviour
is the specification: the lecture's data and random data, runs of 0, 1, 2 and 3 updates or
epochs (so one update more or less shows), integer inputs, batch sizes of 1, of the whole data and
larger, seeded generators and None, empty and single-sample data, and shapes the reference
rejects (ValueError), 0-d ones and ones that numpy would broadcast included.
"""

import numpy as np

from autograder.arguments import seeded_rng

# The lecture's data (AI Math 4강).
X = np.array([[1, 1], [1, 2], [2, 2], [2, 3]])
Y = X @ np.array([1, 2]) + 3
BETA_INIT = np.array([10.1, 15.1, -6.5])


def probes(rng):
    """(function name, args, kwargs) for every function of lec04_sgd."""
    out = []
    # add_intercept: several shapes, a single row or column, no columns; not 2-D.
    for shape in ((4, 2), (1, 3), (5, 1), (3, 0)):
        out.append(("add_intercept", (rng.normal(size=shape),), {}))
    out += [("add_intercept", (X,), {}), ("add_intercept", (rng.normal(size=3),), {}),
            ("add_intercept", (rng.normal(size=(2, 2, 2)),), {}),
            ("add_intercept", (np.array(1.0),), {})]  # fmt: skip
    # linear_regression_gd: the lecture's run, 0 to 3 updates, other rates and data.
    out.append(("linear_regression_gd", (X, Y, BETA_INIT), {}))
    for n_iter in (0, 1, 2, 3):
        out.append(("linear_regression_gd", (X, Y, BETA_INIT), {"n_iter": n_iter}))
    Xr = rng.normal(size=(6, 3))
    yr = Xr @ rng.normal(size=3) + rng.normal()
    out += [("linear_regression_gd", (X, Y, np.zeros(3)), {"lr": 0.05, "n_iter": 10}),
            ("linear_regression_gd", (Xr, yr, rng.normal(size=4)), {"lr": 0.02, "n_iter": 50}),
            ("linear_regression_gd", (X, Y, BETA_INIT), {"lr": 0.003, "n_iter": 1}),
            ("linear_regression_gd", (X, Y, np.array([0, 0, 0])), {"n_iter": 2}),
            ("linear_regression_gd", (X, Y[:3], BETA_INIT), {}),
            ("linear_regression_gd", (X, Y, BETA_INIT[:2]), {}),
            ("linear_regression_gd", (X, Y.reshape(-1, 1), BETA_INIT), {}),
            # As many samples as coefficients: a y of shape (N, 1) broadcasts through the loop.
            ("linear_regression_gd", (X[:3], Y[:3].reshape(-1, 1), BETA_INIT), {"n_iter": 3}),
            ("linear_regression_gd", (X[:, 0], Y, BETA_INIT[:2]), {})]  # fmt: skip
    # minibatches: sizes that divide n and that do not, the whole data, more than it, one sample,
    # no samples, seeded generators and None; a negative n, batch sizes below 1.
    for seed, (n, size) in enumerate(((10, 3), (10, 5), (7, 7), (5, 8), (1, 1), (0, 2), (6, 1)), 1):
        out.append(("minibatches", (n, size, seeded_rng(seed)), {}))
    out += [("minibatches", (6, 2, None), {}), ("minibatches", (9, 4, seeded_rng(0)), {}),
            ("minibatches", (-1, 2, seeded_rng(1)), {}), ("minibatches", (5, 0, seeded_rng(1)), {}),
            ("minibatches", (5, -2, seeded_rng(1)), {})]  # fmt: skip
    # sgd_linear_regression: 1 to 3 epochs and the default, batch sizes 1 to 5, seeded and None.
    for n_epochs in (1, 2, 3):
        out.append(("sgd_linear_regression", (X, Y, BETA_INIT),
                    {"n_epochs": n_epochs, "rng": seeded_rng(7)}))  # fmt: skip
    for size in (1, 2, 3, 4, 5):
        out.append(("sgd_linear_regression", (X, Y, BETA_INIT),
                    {"n_epochs": 2, "batch_size": size, "rng": seeded_rng(size)}))  # fmt: skip
    out += [("sgd_linear_regression", (X, Y, BETA_INIT), {}),
            ("sgd_linear_regression", (X, Y, BETA_INIT), {"n_epochs": 3, "rng": None}),
            ("sgd_linear_regression", (Xr, yr, np.zeros(4)),
             {"lr": 0.05, "n_epochs": 5, "batch_size": 4, "rng": seeded_rng(11)}),
            ("sgd_linear_regression", (X, Y, np.array([0, 0, 0])),
             {"n_epochs": 1, "rng": seeded_rng(3)}),
            ("sgd_linear_regression", (X, Y, BETA_INIT), {"n_epochs": 0}),
            ("sgd_linear_regression", (X, Y, BETA_INIT), {"batch_size": 0}),
            ("sgd_linear_regression", (X, Y, BETA_INIT), {"n_epochs": 0, "batch_size": 0}),
            ("sgd_linear_regression", (X, Y[:3], BETA_INIT), {}),
            ("sgd_linear_regression", (X[:3], Y[:3].reshape(-1, 1), BETA_INIT), {"n_epochs": 1}),
            ("sgd_linear_regression", (X, Y, BETA_INIT[:2]), {}),
            ("sgd_linear_regression", (X[:, 0], Y, BETA_INIT[:2]), {})]  # fmt: skip
    return out
