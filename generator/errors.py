"""The generator's exceptions: a user's mistake (plain message, exit 1 or 2) apart from a bug (traceback, exit 3).

Mistakes in the YAML are not exceptions at all: they are :class:`~generator.load.problems.Problem`
values, collected and reported together. What is left to raise is a mistake in how the
command was called or in the machine's set-up (a :class:`UserError`, whose words come from
the locale files), or a bug, which is any other exception. ``cli`` catches by that split.
"""

from __future__ import annotations

from typing import ClassVar

from .i18n import Locale

#: Exit statuses: problems found or a step refused (1), the command called wrongly (2), a bug (3).
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


class UserError(Exception):
    """Something the person running the command can fix; shown as one plain line, never a traceback.

    ``key`` names a label in the locale files; ``args`` fill its placeholders.
    """

    exit_code: ClassVar[int] = EXIT_PROBLEMS

    def __init__(self, key: str, **args: str) -> None:
        super().__init__(key, args)
        self.key = key
        self.args_ = args

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled by state, not by constructor arguments (subclasses take other ones), so an
        # error raised in a worker process arrives whole.
        return (self.__class__.__new__, (self.__class__,), self.__dict__)

    def message(self, locale: Locale) -> str:
        """The message in the locale's language."""
        return locale.worded(self.key, self.args_)


class UsageError(UserError):
    """The command was called wrongly: a bad id or kind on the command line, a path that is not there."""

    exit_code: ClassVar[int] = EXIT_USAGE


class ScaffoldError(UsageError):
    """``handbook new`` cannot write the file: a bad id or an unknown kind."""


class ScaffoldExists(UserError):
    """``handbook new`` refuses to overwrite an existing file (a refusal, not a usage mistake)."""


class SiteBuildError(UserError):
    """The site engine (MkDocs or Zensical) refused the generated site: a broken link or anchor, a bad config."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("site_refused", detail="\n".join(messages))
        self.messages = messages


class PdfError(UserError):
    """A PDF could not be made (WeasyPrint or the file system failed); the old site stays."""

    def __init__(self, detail: str, key: str = "pdf_failed", **args: str) -> None:
        super().__init__(key, detail=detail, **args)


class FontError(PdfError):
    """The CJK font is not installed (``apt-get install fonts-noto-cjk``) or cannot be read."""

    def __init__(self, key: str, path: str, **args: str) -> None:
        super().__init__(path, key, path=path, **args)
