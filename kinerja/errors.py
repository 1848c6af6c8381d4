"""The errors every entry path raises: a refused batch, and one that needs the user's confirmation."""


class ValidationError(ValueError):
    """A batch was refused; `problems` says, in Indonesian, where and what is wrong. Nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class PerluKonfirmasi(ValidationError):
    """Values beyond an indicator's soft limit: saved only after the user confirms each one is right."""
