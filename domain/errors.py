"""What a check says is wrong with one input: the row it is about, the field, and why (in Chinese, for users)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureError:
    index: int  # 1-based position of the input row it is about; 0: the input as a whole
    message: str
    field: str = ""  # the row's field it is about; "": the row as a whole

    def __str__(self) -> str:
        return f"第{self.index}条：{self.message}" if self.index else self.message


class BudgetFiguresError(Exception):
    """A write refused, with every error at once; nothing was written."""

    def __init__(self, errors: list[FigureError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))
