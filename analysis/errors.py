"""The project's one exception type: a message a person can read, never a traceback."""

from __future__ import annotations


class SurveyError(ValueError):
    """A problem with a user's file or request, explained in Japanese.

    The message names the file and, where it applies, the row and column.

    >>> str(SurveyError("ファイルが空です", file="a.csv", row=3, column="役職"))
    'a.csv: 3行目 列「役職」: ファイルが空です'
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.reason = message
        self.file = file
        self.row = row
        self.column = column
        where = []
        if row is not None:
            where.append(f"{row}行目")
        if column is not None:
            where.append(f"列「{column}」")
        prefix = f"{file}: " if file else ""
        location = " ".join(where)
        super().__init__(f"{prefix}{location}: {message}" if location else f"{prefix}{message}")
