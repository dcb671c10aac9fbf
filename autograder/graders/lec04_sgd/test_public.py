"""Public tests for lec04_sgd: students run these with `aimath check`.

SGD is graded only on properties that do not depend on the order in which a submission draws its
batches: the batches partition the indices and are shuffled by the generator it is given, a run is
repeatable for a fixed generator, the result approaches the least-squares solution, and the runs
whose outcome is the same for every batch order (one batch of all the samples; one epoch on samples
that do not interact) are compared exactly.
"""

import numpy as np
import pytest

from autograder.arguments import seeded_rng
from autograder.checks import check_close, check_equal, check_raises, check_shape, check_true
from autograder.formatting import format_value
from autograder.graders.lec04_sgd.plots import full_batch_loss_figure, gd_loss_figure
from autograder.graders.lec04_sgd.support import (
    SAME_RESULT_ATOL,
    SGD_ATOL,
    SGD_NOISY_ATOL,
    check_batches,
    check_one_epoch_factors,
    design,
    distinct_seeds,
    gd_closed_form,
    least_squares,
    noisy_data,
    orthogonal_problem,
    with_ones,
)
from autograder.i18n import msg

# The lecture's data (AI Math 4강): y = X @ [1, 2] + 3, so the least-squares beta is [1, 2, 3]
# (intercept last), and the lecture's 5000 steps of gradient descent from BETA_INIT_LECTURE.
X_LECTURE = np.array([[1, 1], [1, 2], [2, 2], [2, 3]])
Y_LECTURE = X_LECTURE @ np.array([1, 2]) + 3
BETA_INIT_LECTURE = np.array([10.1, 15.1, -6.5])
BETA_GD_LECTURE = np.array([1.0000036698357675, 1.99999949118641, 2.9999951629700083])
BETA_LECTURE = np.array([1.0, 2.0, 3.0])


def wrong_shapes(rng):
    """(X, y, beta_init) of unseen sizes, each with one wrong shape: y of another length, y as a
    column (N, 1), beta_init of another length, beta_init as a column (D+1, 1), X 1-D."""
    n, d = int(rng.integers(4, 12)), int(rng.integers(1, 4))
    X, y, beta_init = design(rng, n, d), rng.normal(size=n), rng.normal(size=d + 1)
    return [
        (X, rng.normal(size=n + int(rng.choice([-2, -1, 1, 2]))), beta_init),
        (X, y.reshape(n, 1), beta_init),
        (X, y, rng.normal(size=d + 1 + int(rng.choice([-1, 1, 2])))),
        (X, y, beta_init.reshape(d + 1, 1)),
        (X[:, 0], y, rng.normal(size=2)),
    ]


# -- add_intercept --------------------------------------------------------------------------
@pytest.mark.points(2)
def test_add_intercept_lecture_example(sub, rng):
    """add_intercept: the lecture's X and random matrices get a column of ones appended last"""
    expected = np.array([[1, 1, 1], [1, 2, 1], [2, 2, 1], [2, 3, 1]])
    check_close(sub.add_intercept(X_LECTURE), expected, name=sub.last_call, require_ndarray=True)
    for n, d in ((1, 1), (5, 3), (3, 0), (7, 1)):
        X = rng.normal(size=(n, d))
        check_close(sub.add_intercept(X), np.column_stack([X, np.ones(n)]), name=sub.last_call,
                    require_ndarray=True)  # fmt: skip


# -- linear_regression_gd -------------------------------------------------------------------
@pytest.mark.points(3)
def test_linear_regression_gd_lecture_example(sub, rng):
    """linear_regression_gd: the lecture's data and start (5000 steps, lr 0.01) and random data"""
    beta = sub.linear_regression_gd(X_LECTURE, Y_LECTURE, BETA_INIT_LECTURE)
    with gd_loss_figure(beta, X_LECTURE, Y_LECTURE, BETA_INIT_LECTURE, lr=0.01, n_iter=5000):
        check_close(beta, BETA_GD_LECTURE, name=sub.last_call, require_ndarray=True)
    for n, d in ((6, 1), (10, 2), (8, 3)):
        X, y = noisy_data(rng, n, d)
        beta_init = rng.normal(size=d + 1)
        expected = gd_closed_form(X, y, beta_init, 0.01, 5000)
        beta = sub.linear_regression_gd(X, y, beta_init)
        with gd_loss_figure(beta, X, y, beta_init, lr=0.01, n_iter=5000):
            check_close(beta, expected, name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_linear_regression_gd_learning_rate_and_steps(sub, rng):
    """linear_regression_gd: other learning rates and numbers of steps (0, 1, 7, 300)"""
    X, y = X_LECTURE, Y_LECTURE
    check_close(
        sub.linear_regression_gd(X, y, BETA_INIT_LECTURE, lr=0.02, n_iter=0), BETA_INIT_LECTURE,
        name=sub.last_call, require_ndarray=True,
    )  # fmt: skip
    one_step = BETA_INIT_LECTURE + 0.003 * with_ones(X).T @ (y - with_ones(X) @ BETA_INIT_LECTURE)
    check_close(
        sub.linear_regression_gd(X, y, BETA_INIT_LECTURE, lr=0.003, n_iter=1), one_step,
        name=sub.last_call, require_ndarray=True,
    )  # fmt: skip
    for n, d, lr, n_iter in ((9, 2, 0.002, 7), (12, 1, 0.03, 300), (7, 3, 0.005, 300)):
        X, y = noisy_data(rng, n, d)
        beta_init = rng.normal(size=d + 1)
        expected = gd_closed_form(X, y, beta_init, lr, n_iter)
        beta = sub.linear_regression_gd(X, y, beta_init, lr=lr, n_iter=n_iter)
        with gd_loss_figure(beta, X, y, beta_init, lr=lr, n_iter=n_iter):
            check_close(beta, expected, name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_linear_regression_gd_converges_to_least_squares(sub, rng):
    """linear_regression_gd: with a suitable learning rate it reaches the least-squares beta"""
    # N = 250 samples: the largest eigenvalue of [X,1]^T [X,1] is at least N (the column of ones),
    # so the default lr 0.01 would diverge (a step multiplies the error along it by 1 - 0.01 N <
    # -1); only the lr given makes the run converge.
    for n, d in ((10, 1), (15, 2), (20, 4), (250, 2)):
        X, y = noisy_data(rng, n, d, noise=0.5)
        # lr = 1 / (largest eigenvalue of [X,1]^T [X,1]): each step multiplies the error by at
        # most 1 - 1/cond([X,1])**2 < 0.96, so 5000 steps reach the solution to rounding.
        lr = 1.0 / np.linalg.eigvalsh(with_ones(X).T @ with_ones(X)).max()
        beta = sub.linear_regression_gd(X, y, np.zeros(d + 1), lr=lr, n_iter=5000)
        with gd_loss_figure(beta, X, y, np.zeros(d + 1), lr=lr, n_iter=5000):
            check_close(beta, least_squares(X, y), name=sub.last_call, require_ndarray=True)


@pytest.mark.points(1)
def test_linear_regression_gd_shape_mismatch(sub, rng):
    """linear_regression_gd: y or beta_init of the wrong shape, or X not 2-D, raise ValueError"""
    X, y = noisy_data(rng, 6, 2)
    beta_init = rng.normal(size=3)
    check_close(sub.linear_regression_gd(X, y, beta_init, n_iter=50),
                gd_closed_form(X, y, beta_init, 0.01, 50), name=sub.last_call,
                require_ndarray=True)  # fmt: skip
    check_raises(ValueError, sub.linear_regression_gd, X, y[:5], beta_init)
    check_raises(ValueError, sub.linear_regression_gd, X, y, rng.normal(size=2))
    check_raises(ValueError, sub.linear_regression_gd, X_LECTURE, Y_LECTURE, np.zeros(4))
    for args in wrong_shapes(rng):
        check_raises(ValueError, sub.linear_regression_gd, *args, n_iter=3)
    # N = D + 1: a column y broadcasts without an error unless its shape is checked
    d = int(rng.integers(1, 4))
    X = design(rng, d + 1, d)
    check_raises(ValueError, sub.linear_regression_gd, X, rng.normal(size=(d + 1, 1)),
                 rng.normal(size=d + 1), n_iter=3)  # fmt: skip


# -- minibatches ----------------------------------------------------------------------------
@pytest.mark.points(2)
def test_minibatches_partition(sub, rng):
    """minibatches: batches of batch_size (the last may be smaller) partitioning range(n), none for 0"""
    for n, batch_size in ((4, 2), (10, 3), (7, 7), (9, 1), (11, 4), (1, 1), (0, 3)):
        batches = sub.minibatches(n, batch_size, seeded_rng(distinct_seeds(rng, 1)[0]))
        check_batches(batches, n, batch_size, name=sub.last_call)


@pytest.mark.points(2)
def test_minibatches_shuffled(sub, rng):
    """minibatches: the order is a shuffle that changes with the generator's state"""
    n, batch_size = 12, 4
    orders = []
    for seed in distinct_seeds(rng, 4):
        batches = sub.minibatches(n, batch_size, seeded_rng(seed))
        order = check_batches(batches, n, batch_size, name=sub.last_call)
        check_true(
            not np.array_equal(order, np.arange(n)), name=sub.last_call,
            message=msg("lec04_sgd.original_order", order=format_value(order)),
        )  # fmt: skip
        for earlier_call, earlier in orders:
            check_true(
                not np.array_equal(order, earlier), name=sub.last_call,
                message=msg("lec04_sgd.same_order_as", order=format_value(order),
                            earlier=earlier_call),
            )  # fmt: skip
        orders.append((sub.last_call, order))


@pytest.mark.points(1)
def test_minibatches_repeatable(sub, rng):
    """minibatches: the same generator state gives the same batches; None means default_rng(0)"""
    n, batch_size = 10, 5
    seed, other = distinct_seeds(rng, 2)
    for rng_arg, again in ((seeded_rng(seed), None), (None, seeded_rng(0))):
        first = sub.minibatches(n, batch_size, rng_arg)
        first_call = sub.last_call
        check_batches(first, n, batch_size, name=first_call)
        second = sub.minibatches(n, batch_size, rng_arg if again is None else again)
        check_batches(second, n, batch_size, name=sub.last_call)
        for i in range(len(first)):
            check_equal(
                np.asarray(second[i]), np.asarray(first[i]),
                name=msg("lec04_sgd.second_call_same_state", call=sub.last_call, i=i,
                         first=first_call),
            )  # fmt: skip
    # Repeatable because the generator decides: another seed gives another order.
    first = check_batches(sub.minibatches(n, batch_size, seeded_rng(seed)), n, batch_size,
                          name=sub.last_call)  # fmt: skip
    first_call = sub.last_call
    order = check_batches(sub.minibatches(n, batch_size, seeded_rng(other)), n, batch_size,
                          name=sub.last_call)  # fmt: skip
    check_true(
        not np.array_equal(order, first), name=sub.last_call,
        message=msg("lec04_sgd.same_order_other_seed", order=format_value(order), first=first_call),
    )  # fmt: skip


@pytest.mark.points(1)
def test_minibatches_bad_batch_size(sub, rng):
    """minibatches: a batch_size below 1 or a negative n raises ValueError"""
    batches = sub.minibatches(6, 3, seeded_rng(distinct_seeds(rng, 1)[0]))
    check_batches(batches, 6, 3, name=sub.last_call)
    check_raises(ValueError, sub.minibatches, 6, 0, seeded_rng(1))
    check_raises(ValueError, sub.minibatches, 6, -2, seeded_rng(1))
    check_raises(ValueError, sub.minibatches, -1, 2, seeded_rng(1))
    seed = distinct_seeds(rng, 1)[0]
    n, batch_size = int(rng.integers(1, 20)), int(rng.integers(1, 6))
    check_raises(ValueError, sub.minibatches, n, 0, seeded_rng(seed))
    check_raises(ValueError, sub.minibatches, n, -batch_size, seeded_rng(seed))
    check_raises(ValueError, sub.minibatches, -n, batch_size, seeded_rng(seed))


# -- sgd_linear_regression ------------------------------------------------------------------
@pytest.mark.points(3)
def test_sgd_lecture_example(sub, rng):
    """sgd_linear_regression: the lecture's data and random noise-free data give the exact beta"""
    seed = distinct_seeds(rng, 1)[0]
    beta = sub.sgd_linear_regression(X_LECTURE, Y_LECTURE, BETA_INIT_LECTURE, lr=0.1,
                                     n_epochs=1000, batch_size=2, rng=seeded_rng(seed))  # fmt: skip
    check_close(beta, BETA_LECTURE, name=sub.last_call, rtol=0, atol=SGD_ATOL, require_ndarray=True)
    for n, d, batch_size in ((12, 2, 3), (20, 3, 4), (10, 1, 2)):
        X = design(rng, n, d)
        beta_true = rng.normal(size=d + 1)
        y = with_ones(X) @ beta_true
        beta = sub.sgd_linear_regression(X, y, rng.normal(size=d + 1), lr=0.05, n_epochs=300,
                                         batch_size=batch_size, rng=seeded_rng(seed))  # fmt: skip
        check_close(beta, beta_true, name=sub.last_call, rtol=0, atol=SGD_ATOL,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(2)
def test_sgd_full_batch_is_gradient_descent(sub, rng):
    """sgd_linear_regression: batch_size = N makes each epoch one gradient step on the MSE"""
    for n, d, lr, n_epochs in ((5, 1, 0.1, 1), (8, 2, 0.05, 30), (11, 3, 0.2, 40), (6, 2, 0.0, 5)):
        X, y = noisy_data(rng, n, d)
        beta_init = rng.normal(size=d + 1)
        # One batch B of all N samples: beta <- beta - lr * (2/N) X_^T (X_ beta - y).
        expected = gd_closed_form(X, y, beta_init, lr * 2.0 / n, n_epochs)
        beta = sub.sgd_linear_regression(X, y, beta_init, lr=lr, n_epochs=n_epochs, batch_size=n,
                                         rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
        with full_batch_loss_figure(beta, X, y, beta_init, lr=lr, n_epochs=n_epochs):
            check_close(beta, expected, name=sub.last_call, require_ndarray=True)


@pytest.mark.points(2)
def test_sgd_one_epoch_uses_each_sample_once(sub, rng):
    """sgd_linear_regression: one epoch steps once on every sample, with the batch's mean gradient"""
    for n, batch_size, lr in ((5, 2, 0.05), (7, 3, 0.03), (4, 4, 0.1)):
        X, y, beta_init = orthogonal_problem(rng, n)
        sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
        expected = np.sort([1 - lr * 2.0 / size * n for size in sizes for _ in range(size)])
        beta = sub.sgd_linear_regression(X, y, beta_init, lr=lr, n_epochs=1, batch_size=batch_size,
                                         rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
        check_one_epoch_factors(beta, X, y, beta_init, expected, lr=lr, batch_size=batch_size,
                                name=sub.last_call)  # fmt: skip


@pytest.mark.points(2)
def test_sgd_noisy_data_near_least_squares(sub, rng):
    """sgd_linear_regression: on noisy data it ends near the least-squares solution"""
    for n, d, batch_size in ((30, 3, 5), (20, 1, 3), (40, 2, 4)):
        X, y = noisy_data(rng, n, d)
        beta = sub.sgd_linear_regression(X, y, np.zeros(d + 1), lr=0.01, n_epochs=300,
                                         batch_size=batch_size,
                                         rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
        check_close(beta, least_squares(X, y), name=sub.last_call, rtol=0, atol=SGD_NOISY_ATOL,
                    require_ndarray=True)  # fmt: skip


@pytest.mark.points(2)
def test_sgd_repeatable(sub, rng):
    """sgd_linear_regression: the same generator gives the same result; None means default_rng(0)"""
    X, y = noisy_data(rng, 10, 2)
    beta_init = rng.normal(size=3)
    seed, other = distinct_seeds(rng, 2)
    first = sub.sgd_linear_regression(X, y, beta_init, lr=0.02, n_epochs=20, batch_size=3,
                                      rng=seeded_rng(seed))  # fmt: skip
    first_call = sub.last_call
    check_shape(first, (3,), name=first_call, require_ndarray=True)
    again = sub.sgd_linear_regression(X, y, beta_init, lr=0.02, n_epochs=20, batch_size=3,
                                      rng=seeded_rng(seed))  # fmt: skip
    check_close(
        again,
        first,
        name=msg("lec04_sgd.second_call_same_seed", call=sub.last_call),
    )
    # The defaults: lr=0.01, n_epochs=100, batch_size=2 and rng=None, i.e. default_rng(0).
    default = sub.sgd_linear_regression(X, y, beta_init)
    default_call = sub.last_call
    check_shape(default, (3,), name=default_call, require_ndarray=True)
    check_close(sub.sgd_linear_regression(X, y, beta_init), default,
                name=msg("lec04_sgd.second_call_same_seed", call=sub.last_call))  # fmt: skip
    explicit = sub.sgd_linear_regression(X, y, beta_init, lr=0.01, n_epochs=100, batch_size=2,
                                         rng=seeded_rng(0))  # fmt: skip
    check_close(explicit, default, name=msg("lec04_sgd.compared_with", call=sub.last_call,
                                            other=default_call))  # fmt: skip
    # Repeatable because the generator decides the batches: another seed gives another result.
    beta = sub.sgd_linear_regression(X, y, beta_init, lr=0.02, n_epochs=20, batch_size=3,
                                     rng=seeded_rng(other))  # fmt: skip
    check_shape(beta, (3,), name=sub.last_call, require_ndarray=True)
    check_true(
        not np.allclose(beta, first, rtol=0, atol=SAME_RESULT_ATOL), name=sub.last_call,
        message=msg("lec04_sgd.same_result_other_seed", beta=format_value(beta), first=first_call),
    )  # fmt: skip


@pytest.mark.points(2)
def test_sgd_depends_on_rng(sub, rng):
    """sgd_linear_regression: different generators draw different batches, so results differ"""
    X, y = noisy_data(rng, 12, 2)
    beta_init = rng.normal(size=3)
    results = []
    for seed in distinct_seeds(rng, 3):
        beta = sub.sgd_linear_regression(X, y, beta_init, lr=0.01, n_epochs=20, batch_size=3,
                                         rng=seeded_rng(seed))  # fmt: skip
        check_shape(beta, (3,), name=sub.last_call, require_ndarray=True)
        for earlier_call, earlier in results:
            check_true(
                not np.allclose(beta, earlier, rtol=0, atol=SAME_RESULT_ATOL), name=sub.last_call,
                message=msg("lec04_sgd.same_result_as", beta=format_value(beta),
                            earlier=earlier_call),
            )  # fmt: skip
        results.append((sub.last_call, np.asarray(beta)))


@pytest.mark.points(1)
def test_sgd_shape_mismatch(sub, rng):
    """sgd_linear_regression: y or beta_init of the wrong shape, X not 2-D, or batch_size < 1 (also
    with no epochs to run) raise ValueError"""
    X = design(rng, 10, 2)
    beta_true = rng.normal(size=3)
    y = with_ones(X) @ beta_true
    beta = sub.sgd_linear_regression(X, y, np.zeros(3), lr=0.1, n_epochs=400, batch_size=3,
                                     rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
    check_close(beta, beta_true, name=sub.last_call, rtol=0, atol=SGD_ATOL, require_ndarray=True)
    check_raises(ValueError, sub.sgd_linear_regression, X, y[:9], np.zeros(3))
    check_raises(ValueError, sub.sgd_linear_regression, X, y, np.zeros(2))
    for args in wrong_shapes(rng):
        check_raises(ValueError, sub.sgd_linear_regression, *args, n_epochs=2,
                     rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
    for batch_size, n_epochs in (
        (0, 0),
        (0, 2),
        (-int(rng.integers(1, 5)), int(rng.integers(0, 3))),
    ):
        check_raises(ValueError, sub.sgd_linear_regression, X, y, np.zeros(3),
                     n_epochs=n_epochs, batch_size=batch_size,
                     rng=seeded_rng(distinct_seeds(rng, 1)[0]))  # fmt: skip
