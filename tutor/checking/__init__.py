"""Checking answers: a student's text against a reference, with feedback, in a sandbox.

- :mod:`~tutor.checking.check`: ``check`` (a kind's problem and a student's answer),
  ``check_expected`` (a teacher's expected answer) and batch grading of a class's CSV;
- :mod:`~tutor.checking.sandbox` and :mod:`~tutor.checking.worker`: worker processes that
  parse and compare untrusted text within time and memory limits;
- :mod:`~tutor.checking.grading`: one comparer per answer type, naming the mistake.

May import: :mod:`tutor.topics`, the engines, :mod:`tutor.parsing`, :mod:`tutor.core`.
"""
