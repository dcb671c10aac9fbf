"""Known mistakes of lec08_bayes and the hint each gets (see autograder/hints.py).

confusion_metrics' swapped precision and recall are named by its graders' own messages."""

from autograder.hints import Hint

HINTS = [
    Hint("posterior", "this is sensitivity × prior, the numerator of Bayes' rule: divide it by "
         "the evidence P(positive)", lambda prior, sensitivity, false_alarm: sensitivity * prior,
         "lec08_posterior_not_normalised"),
    Hint("evidence", "the false-alarm term is missing: a positive test also comes from the "
         "healthy, with probability false_alarm", lambda prior, sensitivity, false_alarm: sensitivity * prior,
         "lec08_evidence_no_false_alarm"),
    Hint("posterior", "the evidence in the denominator has no false-alarm term (so every "
         "posterior is 1)", lambda prior, sensitivity, false_alarm: 1.0 if sensitivity * prior > 0 else float("nan"),
         "lec08_evidence_no_false_alarm"),
    Hint("evidence", "the false-alarm term is weighted by the prior; false alarms happen to the "
         "healthy, whose probability is 1 - prior", lambda prior, sensitivity, false_alarm: (sensitivity + false_alarm) * prior,
         "lec08_false_alarm_times_prior"),
]  # fmt: skip
