"""Attachments: the type comes from the bytes, the name is cleaned, the limits hold, the download is safe."""

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from helseportal.access.models import AuditEvent
from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.demo import personas
from helseportal.messaging import files
from helseportal.messaging.models import Attachment, Message, Thread
from helseportal.messaging.tests.conftest import EXE, JPEG, PDF, PNG, unit, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png")],
)
def test_it_accepts_pdf_jpeg_and_png_by_their_first_bytes(content: bytes, expected: str):
    checked = files.check_one(upload("whatever.bin", content, "application/octet-stream"))
    assert checked.content_type == expected


def test_it_refuses_an_executable_renamed_to_pdf_whatever_the_browser_says():
    with pytest.raises(files.BadAttachment, match="ikke en PDF, JPEG eller PNG"):
        files.check_one(upload("resept.pdf", EXE, "application/pdf"))


def test_it_believes_the_bytes_over_the_name():
    checked = files.check_one(upload("skjermbilde.jpg", PNG, "image/jpeg"))
    assert (checked.content_type, checked.name) == ("image/png", "skjermbilde.png")


def test_it_refuses_an_empty_file():
    with pytest.raises(files.BadAttachment, match="er tom"):
        files.check_one(upload("tom.pdf", b""))


def test_it_refuses_a_file_over_the_limit_from_settings(settings: Settings):
    settings.HELSEPORTAL_MESSAGE_ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(files.BadAttachment, match="større enn 1 MB"):
        files.check_one(upload("stor.pdf", PDF + b"0" * (1024 * 1024)))


def test_it_refuses_more_files_than_the_count_limit():
    with pytest.raises(files.BadAttachment, match="høyst 5 filer"):
        files.check([upload(f"{i}.pdf", PDF) for i in range(6)])


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\kari\\brev.pdf", "brev.pdf"),
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("", "vedlegg.pdf"),
        ("Blodprøve 12.03.pdf", "Blodprøve 12.03.pdf"),
    ],
)
def test_it_cleans_the_original_name(name: str, expected: str):
    assert files.clean_name(name, "pdf") == expected


def test_she_sends_each_allowed_type_and_downloads_it_as_an_attachment(client: Client, kari: Actor, media_root):
    log_in(client, kari)
    gp = unit(personas.MAJORSTUEN_GP)
    response = client.post(
        "/meldinger/ny/",
        {
            "unit": gp.pk,
            "subject": "Prøvesvar",
            "body": "Her er papirene.",
            "attachments": [upload("a.pdf", PDF), upload("b.jpg", JPEG, "image/jpeg"), upload("c.png", PNG)],
        },
    )
    assert response.status_code == 302
    stored = list(Attachment.objects.order_by("pk"))
    assert [a.content_type for a in stored] == ["application/pdf", "image/jpeg", "image/png"]
    # Stored under MEDIA_ROOT with a random name that says nothing about the file or the person.
    assert all(a.file.name.startswith("messaging/") and "." not in a.file.name.rsplit("/", 1)[1] for a in stored)
    download = client.get(f"/meldinger/vedlegg/{stored[0].pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="messaging:attachment:read", subject_id=kari.subject_id).count() == 1


def test_a_renamed_executable_gets_a_norwegian_error_and_her_text_is_kept(client: Client, kari: Actor):
    log_in(client, kari)
    response = client.post(
        "/meldinger/ny/",
        {
            "unit": unit(personas.MAJORSTUEN_GP).pk,
            "subject": "Resept",
            "body": "Teksten jeg skrev med omhu",
            "attachments": [upload("resept.pdf", EXE)],
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Filen «resept» er ikke en PDF, JPEG eller PNG" in html
    assert "Teksten jeg skrev med omhu" in html
    assert not Thread.objects.exists()
    assert not Message.objects.exists()


def test_a_too_large_file_in_a_reply_gets_an_error_and_the_reply_is_kept(
    client: Client, kari: Actor, karis_thread: Thread, settings: Settings
):
    settings.HELSEPORTAL_MESSAGE_ATTACHMENT_MAX_BYTES = 1024 * 1024
    log_in(client, kari)
    response = client.post(
        f"/meldinger/{karis_thread.pk}/",
        {"body": "Et svar jeg ikke vil skrive igjen", "attachments": [upload("stor.pdf", PDF + b"0" * 2**20)]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "er større enn 1 MB" in html
    assert "Et svar jeg ikke vil skrive igjen" in html
    assert Message.objects.filter(thread=karis_thread).count() == 1


def test_an_empty_file_gets_an_error(client: Client, kari: Actor, karis_thread: Thread):
    log_in(client, kari)
    response = client.post(f"/meldinger/{karis_thread.pk}/", {"body": "Hei", "attachments": [upload("tom.pdf", b"")]})
    assert response.status_code == 400
    assert "tom" in response.content.decode()


def test_per_cannot_download_karis_attachment(client: Client, karis_thread: Thread):
    from helseportal.demo import actors

    attachment = Attachment.objects.get()
    log_in(client, actors.citizen(personas.PER))
    assert client.get(f"/meldinger/vedlegg/{attachment.pk}/").status_code == 404
