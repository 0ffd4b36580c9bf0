"""Uploaded workbooks waiting for their confirmation, in the file storage under ``imports/``.

A preview stores the file under a random token (the confirmation reads exactly the file that was previewed); the
confirmation deletes it. A preview never confirmed would stay for ever: every upload, and the ``purge_imports``
command (run it from cron or a scheduled job), delete the files older than ``PENDING_IMPORT_HOURS``.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "imports"


def _path(token: str) -> str:
    return f"{FOLDER}/{token}.xlsx"


def store(data: bytes) -> str:
    """Keep the file for its confirmation; the token that finds it again."""
    token = uuid.uuid4().hex
    default_storage.save(_path(token), ContentFile(data))
    return token


def take(token: str) -> bytes | None:
    """The file of this token, deleted from storage; None when it is gone (confirmed, purged or never stored)."""
    if not token.isalnum() or not default_storage.exists(_path(token)):
        return None
    with default_storage.open(_path(token), "rb") as file:
        data = file.read()
    default_storage.delete(_path(token))
    return data


def exists(token: str) -> bool:
    return token.isalnum() and default_storage.exists(_path(token))


def purge(older_than: timedelta | None = None) -> int:
    """Delete the waiting files older than ``older_than`` (default: PENDING_IMPORT_HOURS); how many were deleted."""
    age = older_than if older_than is not None else timedelta(hours=settings.PENDING_IMPORT_HOURS)
    if not default_storage.exists(FOLDER):
        return 0
    cutoff = timezone.now() - age
    _, files = default_storage.listdir(FOLDER)
    deleted = 0
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            stale = default_storage.get_modified_time(path) < cutoff
        except (FileNotFoundError, NotImplementedError):
            continue
        if stale:
            default_storage.delete(path)
            deleted += 1
    return deleted
