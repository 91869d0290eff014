"""The one exception a user can cause.

Every mistake in user input (malformed LaTeX, a non-linear equation, ragged
matrix rows, an unknown kind, ...) is raised as :class:`TutorError` (or a
subclass) with a message meant for the user; the CLI prints it as one line on
stderr and exits with code 2.  Anything else escaping is a bug in the tutor.
"""


class TutorError(ValueError):
    """A problem with the user's input, explained in one line."""


class ParseError(TutorError):
    """Text that could not be read as mathematics."""
