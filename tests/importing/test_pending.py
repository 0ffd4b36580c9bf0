"""Uploads waiting for their confirmation are deleted at confirmation and once older than the set age."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from importing import pending


def test_a_waiting_upload_is_read_once_and_then_gone(db) -> None:
    token = pending.store(b"workbook")
    assert pending.exists(token)
    assert pending.take(token) == b"workbook"
    assert not pending.exists(token)
    assert pending.take(token) is None


def test_a_token_that_is_not_one_of_ours_finds_nothing(db) -> None:
    assert pending.take("../settings") is None


def test_purge_keeps_fresh_uploads_and_deletes_those_older_than_the_age(db) -> None:
    token = pending.store(b"fresh")
    assert pending.purge(timedelta(hours=1)) == 0
    assert pending.exists(token)
    assert pending.purge(timedelta(seconds=-1)) == 1  # every file is older than a moment from now
    assert not pending.exists(token)


def test_the_purge_command_reports_what_it_deleted(db) -> None:
    pending.store(b"old")
    out = StringIO()
    call_command("purge_imports", "--hours", "-0.001", stdout=out)
    assert "已删除 1 个未确认的导入文件" in out.getvalue()
