class YearConverter:
    """A budget year in a URL: exactly four digits (a longer number would overflow the database)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"
