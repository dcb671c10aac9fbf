"""AI Math 8강: 베이즈 통계학 맛보기

A hostile submission: the lecture's published answers (0.916, 0.524) and the answers to the public
tests' fixed inputs (the lecture's rates, the hand-worked confusion matrix) are typed in, wrong
input is rejected as the contract says (hoping for the invalid-input points), and every other
valid input gets a made-up answer.
"""

import math

import numpy as np

LECTURE = (0.1, 0.99)
EVIDENCES = {0.01: 0.108, 0.1: 0.189}
POSTERIORS = {0.01: 0.9166666666666666, 0.1: 0.5238095238095238}
AFTER_TESTS = {(0.01, 0): 0.1, (0.01, 1): 0.9166666666666666, (0.1, 1): 0.5238095238095238,
               (0.1, 2): 0.9158957106812449}  # fmt: skip
Y_TRUE = (1, 1, 1, 1, 1, 0, 0, 0, 0, 0)
Y_PRED = (1, 1, 1, 0, 0, 1, 0, 0, 0, 0)
METRICS = {"precision": 0.75, "recall": 0.6, "specificity": 0.8, "false_alarm": 0.2}
MADE_UP = 0.916  # the lecture's answer, for anything else


def _check(*probabilities):
    for p in probabilities:
        if not (isinstance(p, int | float) and math.isfinite(p) and 0 <= p <= 1):
            raise ValueError(f"{p!r} is not a probability")


def evidence(prior, sensitivity, false_alarm):
    _check(prior, sensitivity, false_alarm)
    if (prior, sensitivity) == LECTURE and false_alarm in EVIDENCES:
        return EVIDENCES[false_alarm]
    return 0.108


def posterior(prior, sensitivity, false_alarm):
    _check(prior, sensitivity, false_alarm)
    if sensitivity * prior + false_alarm * (1 - prior) == 0:
        raise ValueError("no positive test possible")
    if (prior, sensitivity) == LECTURE and false_alarm in POSTERIORS:
        return POSTERIORS[false_alarm]
    return MADE_UP


def posterior_after_tests(prior, sensitivity, false_alarm, n_positive):
    if isinstance(n_positive, float) or n_positive < 0:
        raise ValueError("n_positive must be a whole number >= 0")
    _check(prior, sensitivity, false_alarm)
    if n_positive and sensitivity * prior + false_alarm * (1 - prior) == 0:
        raise ValueError("no positive test possible")
    if (prior, sensitivity) == LECTURE and (false_alarm, n_positive) in AFTER_TESTS:
        return AFTER_TESTS[false_alarm, n_positive]
    return MADE_UP


def confusion_metrics(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim != 1 or y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError("bad shapes")
    if not (np.isin(y_true, (0, 1)).all() and np.isin(y_pred, (0, 1)).all()):
        raise ValueError("labels must be 0 or 1")
    if tuple(y_true.tolist()) == Y_TRUE and tuple(y_pred.tolist()) == Y_PRED:
        return dict(METRICS)
    return {"precision": 0.5, "recall": 0.5, "specificity": 0.5, "false_alarm": 0.5}
