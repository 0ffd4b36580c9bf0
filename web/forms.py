"""What every form of ours shares: the revision a page was built on (optimistic locking)."""

NO_SUCH_REVISION = -1  # what a tampered or mangled revision stands for: it never matches, the write is refused


def posted_revision(data) -> int | None:
    """The revision a posted form was built on; None when it carries none (a script that does not say)."""
    value = data.get("revision", "")
    if value == "":
        return None
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else NO_SUCH_REVISION
