"""What the import commands share: reading the workbook file they are given, within the upload limit."""

from pathlib import Path

from django.core.management.base import CommandError

from official.xlsx_safety import MAX_FILE_BYTES


def workbook_bytes(file: Path) -> bytes:
    """The file's bytes; a CommandError (in Chinese) if it is too large or cannot be read."""
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{file} 过大，上限为 {MAX_FILE_BYTES // 1024 // 1024} MB。")
        return file.read_bytes()
    except OSError as error:
        raise CommandError(f"无法读取文件 {file}：{error}") from error
