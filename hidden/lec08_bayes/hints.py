"""Known mistakes of lec08_bayes and the hint each gets (see autograder/hints.py).

confusion_metrics' swapped precision and recall are named by its graders' own messages."""

import numpy as np

from autograder.hints import Hint, where_it_differs
from autograder.i18n import msg


def _valid_rates(mistake):
    """``mistake`` for probabilities in [0, 1] only: for others (NaN included) the reference
    raises, and a value returned there is a missing check, not this mistake."""

    def wrong(prior, sensitivity, false_alarm, *rest):
        if not all(0 <= p <= 1 for p in (prior, sensitivity, false_alarm)):
            raise ValueError("the reference raises: no mistake to name")
        return mistake(prior, sensitivity, false_alarm, *rest)

    return wrong


def _posterior(prior, sensitivity, false_alarm):
    return sensitivity * prior / (sensitivity * prior + false_alarm * (1 - prior))


def _after_tests(prior, sensitivity, false_alarm, n_positive, *, extra=0, feed_back=True):
    """posterior_after_tests with extra updates, or with every test starting from the prior."""
    rates = (prior, sensitivity, false_alarm)
    if (
        not isinstance(n_positive, int | np.integer)
        or n_positive < 0
        or not all(0 <= p <= 1 for p in rates)
    ):
        raise ValueError("invalid input")  # the reference raises: no mistake to name
    belief = float(prior)
    for _ in range(int(n_positive) + extra):
        belief = _posterior(belief if feed_back else prior, sensitivity, false_alarm)
    return belief


HINTS = [
    Hint("posterior", msg("lec08_bayes.hint_posterior_not_normalised"),
         _valid_rates(lambda prior, sensitivity, false_alarm: sensitivity * prior),
         "lec08_posterior_not_normalised"),
    Hint("evidence", msg("lec08_bayes.hint_evidence_no_false_alarm"),
         _valid_rates(lambda prior, sensitivity, false_alarm: sensitivity * prior),
         "lec08_evidence_no_false_alarm"),
    Hint("posterior", msg("lec08_bayes.hint_posterior_no_false_alarm"),
         _valid_rates(lambda prior, sensitivity, false_alarm:
                      1.0 if sensitivity * prior > 0 else float("nan")),
         "lec08_evidence_no_false_alarm"),
    Hint("evidence", msg("lec08_bayes.hint_false_alarm_times_prior"),
         _valid_rates(lambda prior, sensitivity, false_alarm: (sensitivity + false_alarm) * prior),
         "lec08_false_alarm_times_prior"),
    Hint("posterior_after_tests", msg("lec08_bayes.hint_tests_off_by_one"),
         where_it_differs(lambda prior, sensitivity, false_alarm, n_positive:
                              _after_tests(prior, sensitivity, false_alarm, n_positive, extra=1),
                          _after_tests),
         "lec08_tests_off_by_one"),
    Hint("posterior_after_tests", msg("lec08_bayes.hint_tests_same_prior"),
         where_it_differs(lambda prior, sensitivity, false_alarm, n_positive:
                              _after_tests(prior, sensitivity, false_alarm, n_positive,
                                           feed_back=False),
                          _after_tests),
         "lec08_tests_same_prior"),
]  # fmt: skip
