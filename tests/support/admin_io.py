"""The admin's flat import and export (django-import-export) as a test drives them: upload a file for its preview,
confirm the preview, read the messages and CSV files the pages give back."""

import csv
import io

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

CSV_FORMAT, XLSX_FORMAT = "0", "1"


def import_upload(
    client: Client,
    url: str,
    content: bytes,
    *,
    file_format: str = CSV_FORMAT,
    name: str = "data.csv",
    content_type: str = "text/plain",
    **fields: str,
):
    """Post ``content`` to an import page (extra form ``fields``, e.g. year="2021"): the preview."""
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(url, {"resource": "0", "format": file_format, **fields, "import_file": upload})


def confirm_import(client: Client, url: str, preview):
    """Confirm a preview, posting its confirmation form as shown."""
    form = preview.context["confirm_form"]
    return client.post(url, {name: form[name].value() for name in form.fields})


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def csv_rows(content: bytes) -> list[list[str]]:
    """The rows of an exported CSV file (UTF-8, with or without a byte-order mark)."""
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")
