"""Helpers shared by the public and hidden tests of lec04_sgd: data, oracles and batch checks."""

import numpy as np

from autograder.checks import check_shape, check_true
from autograder.formatting import format_value
from autograder.i18n import msg

# SGD on noise-free data (y exactly linear in X) converges to the exact coefficients whatever the
# batch order: every batch's gradient vanishes there. The runs below reach them within ~1e-7 for
# every batch order, so this bound only fails a run that does not converge.
SGD_ATOL = 1e-4
# With noise, SGD at a constant learning rate keeps moving around the least-squares solution by
# about lr * (the gradient's noise): ~1e-3 for the runs below (lr 0.01, noise 0.1).
SGD_NOISY_ATOL = 2e-2
# Two runs with different generators draw different batches, so on noisy data their results differ
# (by ~1e-3 here); results closer than this count as the same.
SAME_RESULT_ATOL = 1e-10
# Residual factors after one epoch on orthogonal rows are exact up to rounding (~1e-15).
FACTOR_ATOL = 1e-9

# Random designs are drawn with [X, 1] of condition number below this, so gradient descent and SGD
# converge fast and numpy's least-squares oracles are accurate.
MAX_COND = 5.0


def design(rng, n, d):
    """A random (n, d) data matrix X whose [X, 1] is well conditioned."""
    for _ in range(1000):
        X = rng.normal(size=(n, d))
        if np.linalg.cond(np.hstack([X, np.ones((n, 1))])) < MAX_COND:
            return X
    raise RuntimeError(f"could not draw a well-conditioned {n}x{d} design")


def with_ones(X):
    """The oracle's [X, 1] (intercept last), built independently of the submission."""
    return np.hstack([X, np.ones((X.shape[0], 1))])


def least_squares(X, y):
    """The least-squares coefficients of y ~ [X, 1] by numpy's lstsq."""
    return np.linalg.lstsq(with_ones(X), y, rcond=None)[0]


def gd_closed_form(X, y, beta_init, step, n_steps):
    """beta after n_steps of beta <- beta - step * [X,1]^T ([X,1] beta - y), in closed form:
    beta* + (I - step A)^n (beta_init - beta*), with A = [X,1]^T [X,1] and beta* least squares."""
    beta_star, M = _contraction(X, y, step)
    contraction = np.linalg.matrix_power(M, n_steps)
    return beta_star + contraction @ (np.asarray(beta_init, dtype=float) - beta_star)


def _contraction(X, y, step):
    """beta* (least squares, by the normal equations) and M = I - step A, A = [X,1]^T [X,1]."""
    X_ = with_ones(X)
    A = X_.T @ X_
    return np.linalg.solve(A, X_.T @ y), np.eye(A.shape[0]) - step * A


def gd_closed_form_path(X, y, beta_init, step, n_steps):
    """beta after 0, 1, ..., n_steps of the same steps, in the same closed form: beta* + M^k
    (beta_init - beta*), M^k applied one power at a time (the figures draw the loss along it)."""
    beta_star, M = _contraction(X, y, step)
    delta = np.asarray(beta_init, dtype=float) - beta_star
    path = [beta_star + delta]
    with np.errstate(all="ignore"):
        for _ in range(int(n_steps)):
            delta = M @ delta
            path.append(beta_star + delta)
    return path


def noisy_data(rng, n, d, noise=0.1):
    """X, y with y = X @ w + b + noise."""
    X = design(rng, n, d)
    return X, X @ rng.normal(size=d) + rng.normal() + noise * rng.normal(size=n)


def distinct_seeds(rng, k):
    return [int(s) for s in rng.choice(2**31, size=k, replace=False)]


def check_batches(batches, n, batch_size, *, name):
    """Check batches partition a permutation of range(n) (sizes batch_size, the last may be
    smaller); return the order (the batches concatenated)."""
    sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    check_true(
        type(batches) in (list, tuple), name=name,
        message=msg("lec04_sgd.not_index_list", value=format_value(batches)),
    )  # fmt: skip
    check_true(
        len(batches) == len(sizes), name=name,
        message=msg("lec04_sgd.wrong_batch_count", n_batches=len(batches), n_sizes=len(sizes),
                    sizes=str(sizes), n=n, batch_size=batch_size),
    )  # fmt: skip
    for i, (batch, size) in enumerate(zip(batches, sizes, strict=True)):
        check_shape(batch, (size,), name=f"{name}[{i}]", require_ndarray=True)
        kind = np.asarray(batch).dtype.kind
        check_true(
            kind in "iu" or size == 0, name=f"{name}[{i}]",
            message=msg("lec04_sgd.not_integer_indices", dtype=str(np.asarray(batch).dtype)),
        )  # fmt: skip
    order = np.concatenate(
        [np.zeros(0, np.int64), *(np.asarray(b, dtype=np.int64) for b in batches)]
    )
    missing = sorted(set(range(n)) - set(order.tolist()))
    check_true(
        np.array_equal(np.sort(order), np.arange(n)), name=name,
        message=msg("lec04_sgd.not_a_partition", n=n, order=format_value(order),
                    missing=str(missing)),
    )  # fmt: skip
    return order


def orthogonal_problem(rng, n):
    """Data whose rows of [X, 1] are orthogonal with squared norm n: X (n, n-1), y, beta_init, and
    the starting residuals [X, 1] beta_init - y (each of size 1 to 2)."""
    M = rng.normal(size=(n, n))
    M[:, 0] = 1.0
    # Q[:, 0] = ±1/sqrt(n), so rows i, j of [sqrt(n) Q[:, 1:], 1] have inner product
    # n (delta_ij - 1/n) + 1 = n delta_ij.
    Q, _ = np.linalg.qr(M)
    X = np.sqrt(n) * Q[:, 1:]
    X_ = with_ones(X)
    beta_true = rng.normal(size=n)
    residuals = rng.uniform(1.0, 2.0, size=n) * rng.choice([-1.0, 1.0], size=n)
    beta_init = beta_true + X_.T @ residuals / n
    return X, X_ @ beta_true, beta_init


def residual_factors(beta, X, y, beta_init):
    """Each sample's residual after the run divided by its residual before, sorted."""
    X_ = with_ones(X)
    return np.sort((X_ @ np.asarray(beta, dtype=float) - y) / (X_ @ beta_init - y))


def check_one_epoch_factors(beta, X, y, beta_init, expected, *, lr, batch_size, name):
    n = X.shape[0]
    check_shape(beta, (n,), name=name, require_ndarray=True)
    factors = residual_factors(beta, X, y, beta_init)
    sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    check_true(
        np.allclose(factors, expected, rtol=0, atol=FACTOR_ATOL), name=name,
        message=msg("lec04_sgd.wrong_residual_factors", n=n, factors=format_value(factors),
                    expected=format_value(np.asarray(expected)), sizes=str(sizes), lr=str(lr)),
    )  # fmt: skip
