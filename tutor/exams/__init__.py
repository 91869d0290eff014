"""Exams and practice: problems with nice numbers drawn from a seed, and the documents made of them.

- :mod:`~tutor.exams.generators`: one generator module per topic; a variant is solved,
  re-checked against the checker and redrawn when degenerate;
- :mod:`~tutor.exams.documents`: exam specs, versions, the exam and solution documents, the
  answer key;
- :mod:`~tutor.exams.moodle`: the Moodle XML export, Cloze questions a stock Moodle grades right.
- :mod:`~tutor.exams.stack`: STACK question XML, answers graded by property in Maxima.
- :mod:`~tutor.exams.qti`, :mod:`~tutor.exams.canvas`: a QTI 2.1 content package and a Canvas
  QTI 1.2 import with the same blanks (:mod:`~tutor.exams.packaging`: what the two share).

May import: :mod:`tutor.checking`, :mod:`tutor.rendering`, :mod:`tutor.topics`, the engines,
:mod:`tutor.core`.
"""

#: the difficulties of generated problems: 1 easy, 2 medium, 3 hard (here, so that the command
#: line can offer them without importing the generators)
DIFFICULTIES = (1, 2, 3)
