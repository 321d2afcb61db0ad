"""The toolkit's errors, their stable codes, and the exit codes they map to (one place).

Every error a user can meet has a ``code`` that appears in results
(``error.code``) and a message that says what to do; ``docs/errors.md`` lists them.
"""

from __future__ import annotations

from screening.text import Text

# Exit statuses of the command line (the contract: 0 when every input was
# processed, 2 for usage errors or when no input could be processed at all).
EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
# The program reading our output closed it (`| head`): as a shell reports a SIGPIPE.
EXIT_PIPE_CLOSED = 141


class ScreeningError(Exception):
    """Base of every error the toolkit reports to a user instead of a traceback."""

    code = "error"

    def __init__(self, message: str | Text):
        # ``text`` is the message in translatable form (screening.text); ``message`` the English.
        self.text = message if isinstance(message, Text) else Text.verbatim(message)
        self.message = str(self.text)
        super().__init__(self.message)


class UsageError(ScreeningError):
    code = "usage"


class MRZFormatError(ScreeningError):
    """The text is not any known MRZ layout (wrong number of lines, lengths far off)."""

    code = "mrz_format_unknown"


class MRZTextTooLongError(ScreeningError):
    code = "mrz_text_too_long"


class EmptyInputError(ScreeningError):
    code = "empty_input"


class EngineMissingError(ScreeningError):
    """A reading engine chosen for comparison whose optional package is not installed."""

    code = "engine_missing"


class InputFileError(ScreeningError):
    """A file that could not be opened or read (missing, permission, a folder)."""

    code = "file_unreadable"


def exit_status(processed: int, failed: int) -> int:
    """Exit status for a run that processed ``processed`` inputs and could not process ``failed``."""
    if processed == 0:
        return EXIT_USAGE
    if failed:
        return EXIT_SOME_FAILED
    return EXIT_OK
