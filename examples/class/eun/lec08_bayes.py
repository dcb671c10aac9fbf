"""AI Math 8강: 베이즈 통계학 맛보기

A golden mistake: the evidence P(D) without the false-alarm term, P(D | not θ) P(not θ), in
evidence and in posterior's denominator.

Bayes' theorem for a diagnostic test (the evidence, the posterior, and updating the posterior
with each new positive test), and the confusion matrix's rates (precision, recall, specificity,
false alarm).
"""

import numpy as np


def evidence(prior: float, sensitivity: float, false_alarm: float) -> float:
    """AI Math 8강: 베이즈 통계학 맛보기: 증거 (evidence) P(D).

    The probability that the test is positive, summed over having the disease (θ) or not:
        P(D) = P(D | θ) P(θ) + P(D | ¬θ) P(¬θ)
             = sensitivity * prior + false_alarm * (1 - prior)

    Args:
        prior: float in [0, 1], P(θ), the probability of the disease before the test.
        sensitivity: float in [0, 1], P(D | θ), the probability of a positive test with the disease.
        false_alarm: float in [0, 1], P(D | ¬θ), the probability of a positive test without it
            (오검진, the false alarm rate).
    Returns:
        float in [0, 1], P(D).
    Raises:
        ValueError: if a probability is not in [0, 1] (NaN is not).
    """
    for name, p in (("prior", prior), ("sensitivity", sensitivity), ("false_alarm", false_alarm)):
        if not 0 <= p <= 1:
            raise ValueError(f"evidence: {name} must be a probability in [0, 1], got {p!r}")
    return float(sensitivity * prior)


def posterior(prior: float, sensitivity: float, false_alarm: float) -> float:
    """AI Math 8강: 베이즈 통계학 맛보기: 베이즈 정리로 사후확률 구하기.

    The probability of the disease given a positive test, by Bayes' theorem:
        P(θ | D) = P(D | θ) P(θ) / P(D) = sensitivity * prior / evidence(prior, sensitivity,
        false_alarm)
    The lecture: a prior of 0.1, a sensitivity of 0.99 and a false alarm rate of 0.01 give about
    0.916; with a false alarm rate of 0.1, about 0.524.

    Args:
        prior: float in [0, 1], P(θ), the probability of the disease before the test.
        sensitivity: float in [0, 1], P(D | θ).
        false_alarm: float in [0, 1], P(D | ¬θ).
    Returns:
        float in [0, 1], P(θ | D).
    Raises:
        ValueError: if a probability is not in [0, 1] (NaN is not), or the evidence P(D) is 0 (a
            positive test cannot happen, so there is nothing to condition on).
    """
    for name, p in (("prior", prior), ("sensitivity", sensitivity), ("false_alarm", false_alarm)):
        if not 0 <= p <= 1:
            raise ValueError(f"posterior: {name} must be a probability in [0, 1], got {p!r}")
    joint = sensitivity * prior  # P(D | θ) P(θ)
    p_positive = joint  # P(D), the evidence
    if p_positive == 0:
        raise ValueError(
            f"posterior: the evidence P(D) is 0 for prior={prior!r}, sensitivity={sensitivity!r}, "
            f"false_alarm={false_alarm!r}: a positive test cannot happen"
        )
    return float(joint / p_positive)


def posterior_after_tests(
    prior: float, sensitivity: float, false_alarm: float, n_positive: int
) -> float:
    """AI Math 8강: 베이즈 통계학 맛보기: 정보의 갱신 (사후확률을 사전확률로).

    The probability of the disease after n_positive positive tests in a row, each posterior used
    as the prior of the next test:
        p_0 = prior,   p_k = posterior(p_{k-1}, sensitivity, false_alarm),   result p_n
    n_positive = 0 gives the prior itself (as a float), whatever the test's rates. The lecture:
    a prior of 0.1, a sensitivity of 0.99 and a false alarm rate of 0.1 give about 0.524 after
    one positive test and about 0.916 after two.

    Args:
        prior: float in [0, 1], P(θ) before any test.
        sensitivity: float in [0, 1], P(D | θ).
        false_alarm: float in [0, 1], P(D | ¬θ).
        n_positive: int >= 0, the number of positive tests (a Python or numpy integer).
    Returns:
        float in [0, 1], P(θ | n_positive positive tests).
    Raises:
        ValueError: if a probability is not in [0, 1] (NaN is not), n_positive is negative or not
            an integer, or (for n_positive >= 1) the evidence of a test is 0, as in posterior.
    """
    if not isinstance(n_positive, int | np.integer) or n_positive < 0:
        raise ValueError(
            f"posterior_after_tests: n_positive must be an integer >= 0, got {n_positive!r}"
        )
    for name, p in (("prior", prior), ("sensitivity", sensitivity), ("false_alarm", false_alarm)):
        if not 0 <= p <= 1:
            raise ValueError(
                f"posterior_after_tests: {name} must be a probability in [0, 1], got {p!r}"
            )
    belief = float(prior)
    for _ in range(n_positive):
        belief = posterior(belief, sensitivity, false_alarm)  # the posterior is the next prior
    return belief


def confusion_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """AI Math 8강: 베이즈 통계학 맛보기: 혼동행렬 (confusion matrix)의 지표.

    With TP, FP, FN, TN the counts of true positives (y_true = 1, y_pred = 1), false positives
    (0, 1), false negatives (1, 0) and true negatives (0, 0):
        precision   = TP / (TP + FP)   정밀도, P(θ | D)
        recall      = TP / (TP + FN)   민감도 (sensitivity), P(D | θ)
        specificity = TN / (TN + FP)   특이도, P(¬D | ¬θ)
        false_alarm = FP / (FP + TN)   오검진 (1 - specificity), P(D | ¬θ)
    A ratio whose denominator is 0 (no positive predictions, no positive or no negative labels)
    is 0.0: never a division by zero, never nan.

    Args:
        y_true: array of shape (N,), the true labels, each 0 or 1 (integers, or the floats 0.0
            and 1.0; N >= 1).
        y_pred: array of shape (N,), the predicted labels, each 0 or 1 (the same).
    Returns:
        dict with the keys "precision", "recall", "specificity" and "false_alarm", each a float in
        [0, 1].
    Raises:
        ValueError: if y_true or y_pred is not 1-D, they differ in length, are empty, or hold a
            value other than 0 and 1.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim != 1 or y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError(
            f"confusion_metrics: y_true and y_pred must be non-empty 1-D arrays of the same "
            f"length, got shapes {y_true.shape} and {y_pred.shape}"
        )
    if not (np.isin(y_true, (0, 1)).all() and np.isin(y_pred, (0, 1)).all()):
        raise ValueError("confusion_metrics: the labels must be 0 or 1")
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    tn = np.sum((y_true == 0) & (y_pred == 0))

    def ratio(count, total):
        return float(count / total) if total > 0 else 0.0

    return {
        "precision": ratio(tp, tp + fp),
        "recall": ratio(tp, tp + fn),
        "specificity": ratio(tn, tn + fp),
        "false_alarm": ratio(fp, fp + tn),
    }
