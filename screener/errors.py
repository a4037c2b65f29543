"""The errors screener raises on purpose. The CLI turns any of them into one message and exit 2."""


class ScreenerError(Exception):
    """Base of every error screener raises on purpose."""


class InputError(ScreenerError):
    """A bad entry file or option: the message names the file, row, field and value, and the fix."""


class RulesetError(ScreenerError):
    """A ruleset that fails validation: the message lists every problem at once."""

    def __init__(self, problems: list[str], where: str = "") -> None:
        self.problems = problems
        head = f"ruleset {where} has {len(problems)} problem(s):" if where else "ruleset problems:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in problems)]))


class ListError(ScreenerError):
    """An entity list file that cannot be read: names the file, row and field."""


class StoreError(ScreenerError):
    """A database refusal, e.g. the same input screened twice without --force."""
