"""Hidden tests for lec04_sgd: unseen data, learning rates and batch sizes; expected values from
the reference where they do not depend on the batch order, properties where they do."""

import numpy as np
import pytest

from autograder.arguments import seeded_rng
from autograder.checks import check_close, check_equal, check_raises, check_shape, check_true
from autograder.formatting import format_value
from autograder.graders.lec04_sgd.support import (
    FACTOR_ATOL,
    SAME_RESULT_ATOL,
    SGD_ATOL,
    SGD_NOISY_ATOL,
    check_batches,
    design,
    distinct_seeds,
    noisy_data,
    orthogonal_problem,
    residual_factors,
    with_ones,
)

pytestmark = pytest.mark.hidden


@pytest.mark.points(1)
def test_hidden_add_intercept(sub, ref, rng):
    """add_intercept: unseen random matrices, float and integer; X not 2-D raises ValueError"""
    for n, d in ((9, 2), (1, 6), (4, 4)):
        X = rng.normal(size=(n, d))
        check_close(sub.add_intercept(X), ref.add_intercept(X), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip
    X = rng.integers(-9, 10, size=(5, 3))
    check_close(sub.add_intercept(X), ref.add_intercept(X), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    n = int(rng.integers(2, 8))
    for X in (np.array(rng.normal()), rng.normal(size=n), rng.normal(size=(1, n, 2))):
        check_raises(ValueError, sub.add_intercept, X)


@pytest.mark.points(2)
def test_hidden_linear_regression_gd(sub, ref, rng):
    """linear_regression_gd: unseen data, starts, learning rates and numbers of steps"""
    for n, d, lr, n_iter in ((14, 2, 0.004, 800), (6, 4, 0.02, 150), (25, 1, 0.001, 2000)):
        X, y = noisy_data(rng, n, d, noise=0.3)
        beta_init = 3 * rng.normal(size=d + 1)
        check_close(
            sub.linear_regression_gd(X, y, beta_init, lr=lr, n_iter=n_iter),
            ref.linear_regression_gd(X, y, beta_init, lr=lr, n_iter=n_iter), name=sub.last_call,
            require_ndarray=True,
        )  # fmt: skip


@pytest.mark.points(2)
def test_hidden_minibatches(sub, rng):
    """minibatches: unseen sizes partition range(n), shuffled by and repeatable for the generator"""
    for n, batch_size in ((13, 5), (6, 1), (8, 8), (5, 9), (17, 6)):
        batches = sub.minibatches(n, batch_size, seeded_rng(distinct_seeds(rng, 1)[0]))
        check_batches(batches, n, batch_size, name=sub.last_call)
    n, batch_size = 15, 5
    orders = []
    for seed in distinct_seeds(rng, 3):
        order = check_batches(sub.minibatches(n, batch_size, seeded_rng(seed)), n, batch_size,
                              name=sub.last_call)  # fmt: skip
        for earlier_call, earlier in orders:
            check_true(
                not np.array_equal(order, earlier), name=sub.last_call,
                message=f"returned the same order {format_value(order)} as {earlier_call}; "
                "different generators should shuffle differently (use rng to shuffle)",
            )  # fmt: skip
        again = check_batches(sub.minibatches(n, batch_size, seeded_rng(seed)), n, batch_size,
                              name=sub.last_call)  # fmt: skip
        check_equal(
            again,
            order,
            name=f"{sub.last_call}, batches concatenated, called a second time with the same "
            "seed (it should repeat the first result)",
        )
        orders.append((sub.last_call, order))


@pytest.mark.points(2)
def test_hidden_sgd_full_batch(sub, ref, rng):
    """sgd_linear_regression: unseen full-batch runs (batch_size = N) equal gradient descent"""
    for n, d, lr, n_epochs in ((9, 3, 0.15, 25), (4, 1, 0.3, 10), (16, 2, 0.08, 60)):
        X, y = noisy_data(rng, n, d)
        beta_init = rng.normal(size=d + 1)
        expected = ref.sgd_linear_regression(X, y, beta_init, lr=lr, n_epochs=n_epochs,
                                             batch_size=n, rng=np.random.default_rng(0))  # fmt: skip
        beta = sub.sgd_linear_regression(X, y, beta_init, lr=lr, n_epochs=n_epochs, batch_size=n,
                                         rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
        check_close(beta, expected, name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_hidden_sgd_converges(sub, rng):
    """sgd_linear_regression: unseen noise-free data of several shapes and batch sizes (1 too)"""
    for n, d, batch_size, lr in (
        (15, 2, 4, 0.1),
        (12, 4, 2, 0.08),
        (24, 1, 5, 0.15),
        (10, 2, 1, 0.05),
    ):
        X = design(rng, n, d)
        beta_true = 2 * rng.normal(size=d + 1)
        y = with_ones(X) @ beta_true
        beta = sub.sgd_linear_regression(X, y, rng.normal(size=d + 1), lr=lr, n_epochs=200,
                                         batch_size=batch_size,
                                         rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
        check_close(beta, beta_true, name=sub.last_call, rtol=0, atol=SGD_ATOL,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(2)
def test_hidden_sgd_one_epoch(sub, ref, rng):
    """sgd_linear_regression: one epoch on unseen orthogonal rows scales each residual once"""
    for n, batch_size, lr in ((6, 4, 0.04), (8, 3, 0.02), (3, 2, 0.1)):
        X, y, beta_init = orthogonal_problem(rng, n)
        expected = residual_factors(
            ref.sgd_linear_regression(X, y, beta_init, lr=lr, n_epochs=1, batch_size=batch_size,
                                      rng=np.random.default_rng(0)), X, y, beta_init,
        )  # fmt: skip
        beta = sub.sgd_linear_regression(X, y, beta_init, lr=lr, n_epochs=1, batch_size=batch_size,
                                         rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
        check_shape(beta, (n,), name=sub.last_call, require_ndarray=True)
        factors = residual_factors(beta, X, y, beta_init)
        check_true(
            np.allclose(factors, expected, rtol=0, atol=FACTOR_ATOL), name=sub.last_call,
            message="scaled the residuals wrongly in one epoch (the rows of [X, 1] are "
            "orthogonal, so each step changes only its own batch's residuals).\n"
            f"  residual factors (sorted): returned {format_value(factors)}\n"
            f"  expected {format_value(expected)}.\n"
            "  Each sample must be in exactly one batch per epoch, and each step must use the "
            "batch's mean gradient (2/|B|) X_B^T (X_B beta - y_B).",
        )  # fmt: skip


@pytest.mark.points(2)
def test_hidden_sgd_noisy(sub, rng):
    """sgd_linear_regression: unseen noisy data ends near the least-squares solution"""
    for n, d, batch_size, lr in ((25, 2, 5, 0.02), (35, 4, 5, 0.008)):
        X, y = noisy_data(rng, n, d)
        beta = sub.sgd_linear_regression(X, y, rng.normal(size=d + 1), lr=lr, n_epochs=300,
                                         batch_size=batch_size,
                                         rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
        expected = np.linalg.lstsq(with_ones(X), y, rcond=None)[0]
        check_close(beta, expected, name=sub.last_call, rtol=0, atol=SGD_NOISY_ATOL,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(2)
def test_hidden_sgd_rng(sub, rng):
    """sgd_linear_regression: unseen generators: repeatable for each, different between them"""
    X, y = noisy_data(rng, 14, 3)
    beta_init = rng.normal(size=4)
    results = []
    for seed in distinct_seeds(rng, 3):
        kwargs = {"lr": 0.01, "n_epochs": 15, "batch_size": 4}
        beta = sub.sgd_linear_regression(X, y, beta_init, **kwargs, rng=seeded_rng(seed))
        call = sub.last_call
        check_shape(beta, (4,), name=call, require_ndarray=True)
        again = sub.sgd_linear_regression(X, y, beta_init, **kwargs, rng=seeded_rng(seed))
        check_close(
            again,
            beta,
            name=f"{sub.last_call}, called a second time with the same seed (it should "
            "repeat the first result)",
        )
        for earlier_call, earlier in results:
            check_true(
                not np.allclose(beta, earlier, rtol=0, atol=SAME_RESULT_ATOL), name=call,
                message=f"returned {format_value(beta)}, the same as {earlier_call}; different "
                "generators should give different batch orders and so different results",
            )  # fmt: skip
        results.append((call, np.asarray(beta)))
