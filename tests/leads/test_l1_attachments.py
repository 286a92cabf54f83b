"""Lead attachments: size, count and type limits (extension AND content), storage, the
permission-checked and audited download, recusal, removal while writable, and files on the
register form and the public report page."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from leads import services
from leads.models import EventKind, Lead, LeadAttachment
from leads.services import attachments
from leads.services.attachments import AttachmentError, attachment_add, clean_filename
from leads.workflow import ARCHIVED, REASON_REQUIRED, LeadWorkflowError
from rectify.models import AuditEvent
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<document/>")
    return buffer.getvalue()


def xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "线索"
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


# --- checks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("举报材料.pdf", PDF, attachments.PDF),
        ("现场照片.JPG", JPG, attachments.JPEG),
        ("photo.jpeg", JPG, attachments.JPEG),
        ("截图.png", PNG, attachments.PNG),
        ("情况说明.docx", ooxml("word/document.xml"), attachments.DOCX),
        ("台账.xlsx", xlsx(), attachments.XLSX),
        ("说明.txt", "反映情况如下：\n一、……".encode(), attachments.TEXT_UTF8),
        ("说明-bom.txt", "\ufeff反映情况".encode(), attachments.TEXT_UTF8),
        ("gbk.txt", "反映情况如下：某某收受礼金".encode("gb18030"), attachments.TEXT_GB18030),
    ],
)
def test_it_accepts_the_allowed_types(org, register, name, content, content_type):
    lead = register()
    stored = attachment_add(lead=lead, actor=org.intake, upload=upload(name, content))
    assert stored.content_type == content_type
    assert stored.name == name[: name.rindex(".")] + name[name.rindex(".") :].lower()


def test_it_refuses_a_file_over_the_size_limit(org, register, settings):
    settings.LEADS_ATTACHMENT_MAX_BYTES = 1024
    lead = register()
    with pytest.raises(AttachmentError) as info:
        attachment_add(lead=lead, actor=org.intake, upload=upload("大文件.pdf", PDF * 100))
    message = str(info.value)
    assert "大文件.pdf" in message and "超过上限" in message and "1.0" in message
    assert not LeadAttachment.objects.exists()


@pytest.mark.parametrize(
    "name", ["程序.exe", "page.html", "image.svg", "旧版.doc", "宏.xlsm", "无扩展名", "a.pdf.exe"]
)
def test_it_refuses_types_not_on_the_list(org, register, name):
    lead = register()
    with pytest.raises(AttachmentError) as info:
        attachment_add(lead=lead, actor=org.intake, upload=upload(name, PDF))
    assert "类型不允许" in str(info.value) and "PDF、JPG、PNG" in str(info.value)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("伪装.pdf", PNG, "内容与扩展名.pdf不符"),
        ("伪装.png", JPG, "内容与扩展名.png不符"),
        ("脚本.jpg", b"<script>alert(1)</script>", "内容与扩展名.jpg不符"),
        ("压缩包.docx", ooxml("other/file.xml"), "内容与扩展名.docx不符"),
        ("表格当文档.docx", xlsx(), "内容与扩展名.docx不符"),
        ("文档当表格.xlsx", ooxml("word/document.xml"), "内容与扩展名.xlsx不符"),
        ("坏.xlsx", b"PK\x03\x04not really a zip", "内容与扩展名.xlsx不符"),
        ("二进制.txt", b"\x00\x01\x02binary", "须为 UTF-8 或 GB18030"),
        ("控制字符.txt", b"abc\x1b[31mred", "须为 UTF-8 或 GB18030"),
        ("空.pdf", b"", "是空文件"),
    ],
)
def test_it_refuses_content_that_does_not_match_the_extension(
    org, register, name, content, expected
):
    lead = register()
    with pytest.raises(AttachmentError) as info:
        attachment_add(lead=lead, actor=org.intake, upload=upload(name, content))
    assert expected in str(info.value) and name in str(info.value)


def test_it_limits_the_number_of_attachments_per_lead(org, register, settings):
    settings.LEADS_ATTACHMENTS_PER_LEAD = 2
    lead = register()
    attachments.attachments_add(
        lead=lead, actor=org.intake, uploads=[upload("1.pdf", PDF), upload("2.pdf", PDF)]
    )
    with pytest.raises(AttachmentError) as info:
        attachment_add(lead=lead, actor=org.intake, upload=upload("3.pdf", PDF))
    assert str(info.value) == "每条线索最多 2 个附件，本线索已有 2 个"
    assert lead.attachments.count() == 2


def test_it_stores_all_files_or_none(org, register):
    lead = register()
    with pytest.raises(AttachmentError):
        attachments.attachments_add(
            lead=lead, actor=org.intake, uploads=[upload("好.pdf", PDF), upload("坏.pdf", PNG)]
        )
    assert not lead.attachments.exists()


def test_it_sanitises_file_names():
    assert clean_filename("../../etc/举报 材料.PDF") == "举报 材料.pdf"
    assert clean_filename("C:\\Users\\张三\\报告.docx") == "报告.docx"
    assert clean_filename('a"b<c>|d;e.txt') == "a_b_c__d_e.txt"
    # a right-to-left override would show "evil\u202egpj.exe" as "evilexe.jpg"
    assert clean_filename("evil\u202egpj.exe") == "evilgpj.exe"
    assert clean_filename("tab\tand\nnewline.txt") == "tabandnewline.txt"
    assert clean_filename(".pdf") == "附件.pdf"
    assert clean_filename("证据.pdf", anonymise=True) == "举报材料.pdf"
    long = clean_filename("长" * 300 + ".xlsx")
    assert len(long) == 200 and long.endswith(".xlsx")


def test_it_records_the_file_hash_timeline_and_audit(org, register):
    import hashlib

    lead = register()
    stored = attachment_add(lead=lead, actor=org.intake, upload=upload("证据.pdf", PDF))
    stored.refresh_from_db()
    assert bytes(stored.content) == PDF and stored.size == len(PDF)
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest() and stored.uploaded_by == org.intake
    event = lead.events.get(kind=EventKind.ATTACHMENT)
    assert event.data["sha256"] == stored.sha256 and "证据.pdf" in event.text
    audit = AuditEvent.objects.get(action="leads.attachment.added")
    assert audit.object_id == str(lead.pk) and audit.summary["name"] == "证据.pdf"


# --- upload and download through the pages --------------------------------------------------


def test_it_uploads_and_downloads_through_the_lead_page(client, org, register):
    lead = register()
    client.force_login(org.office_staff)
    response = client.post(
        reverse("leads:attachment_upload", args=[lead.pk]),
        {"files": [upload("举报材料.pdf", PDF), upload("photo.png", PNG)]},
    )
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "举报材料.pdf" in page and "photo.png" in page and 'id="attachment-form"' in page
    pdf = lead.attachments.get(name="举报材料.pdf")

    response = client.get(reverse("leads:attachment", args=[lead.pk, pdf.pk]))
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('举报材料.pdf')}" in disposition
    assert 'filename="' in disposition and "举" not in disposition  # ASCII-only header
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    reads = AuditEvent.objects.filter(action="leads.attachment.read")
    assert reads.count() == 1
    read = reads.get()
    assert read.actor == org.office_staff and read.object_id == str(lead.pk)
    assert read.summary["attachment"] == pdf.pk


def test_it_shows_upload_errors_clearly(client, org, register):
    lead = register()
    client.force_login(org.intake)
    response = client.post(
        reverse("leads:attachment_upload", args=[lead.pk]),
        {"files": [upload("伪装.pdf", PNG)]},
        follow=True,
    )
    assert "文件“伪装.pdf”的内容与扩展名.pdf不符" in response.content.decode()
    response = client.post(reverse("leads:attachment_upload", args=[lead.pk]), {}, follow=True)
    assert "这个字段是必填项" in response.content.decode() or "required" in (
        response.content.decode()
    )
    assert not lead.attachments.exists()


def test_the_handler_may_attach_and_download(client, org, assigned):
    lead = assigned()
    client.force_login(org.handler.user)
    client.post(
        reverse("leads:attachment_upload", args=[lead.pk]), {"files": [upload("核查.txt", b"ok")]}
    )
    stored = lead.attachments.get()
    assert stored.uploaded_by == org.handler.user
    url = reverse("leads:attachment", args=[lead.pk, stored.pk])
    assert client.get(url).status_code == 200
    client.force_login(org.unit_head.user)  # reads the lead, does not attach
    assert client.get(url).status_code == 200
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert "核查.txt" in page and 'id="attachment-form"' not in page
    response = client.post(
        reverse("leads:attachment_upload", args=[lead.pk]), {"files": [upload("x.txt", b"x")]}
    )
    assert response.status_code == 403 and lead.attachments.count() == 1


def test_recusal_office_staff_who_is_a_subject_gets_404_on_the_attachment(client, org, register):
    me = OfficerFactory(unit=org.district_a, user=org.office_staff, name="吴办公", number="A555")
    lead = register(subjects=[me], summary="反映吴办公收受礼金")
    stored = attachment_add(lead=lead, actor=org.intake, upload=upload("证据.pdf", PDF))
    client.force_login(org.office_staff)
    assert client.get(reverse("leads:attachment", args=[lead.pk, stored.pk])).status_code == 404
    remove = reverse("leads:attachment_remove", args=[lead.pk, stored.pk])
    assert client.get(remove).status_code == 404
    assert client.post(remove, {"reason": "x"}).status_code == 404
    response = client.post(
        reverse("leads:attachment_upload", args=[lead.pk]), {"files": [upload("a.pdf", PDF)]}
    )
    assert response.status_code == 404
    assert lead.attachments.count() == 1
    assert not AuditEvent.objects.filter(action="leads.attachment.read").exists()


@pytest.mark.parametrize("who", ["outsider", "reviewer", "officer_a", "admin"])
def test_it_hides_attachments_from_users_out_of_scope(client, org, register, who):
    lead = register()
    stored = attachment_add(lead=lead, actor=org.intake, upload=upload("证据.pdf", PDF))
    user = getattr(org, who)
    client.force_login(getattr(user, "user", user))
    assert client.get(reverse("leads:attachment", args=[lead.pk, stored.pk])).status_code == 404


def test_an_attachment_is_reached_only_through_its_own_lead(client, org, register):
    visible = register()
    me = OfficerFactory(unit=org.district_a, user=org.office_staff, number="A556")
    hidden = register(subjects=[me])
    stored = attachment_add(lead=hidden, actor=org.intake, upload=upload("证据.pdf", PDF))
    client.force_login(org.office_staff)
    response = client.get(reverse("leads:attachment", args=[visible.pk, stored.pk]))
    assert response.status_code == 404


def test_the_lead_page_lists_attachments_in_constant_queries(client, org, register):
    lead = register()
    client.force_login(org.office_staff)

    def queries_with(n: int) -> int:
        while lead.attachments.count() < n:
            attachment_add(lead=lead, actor=org.intake, upload=upload("f.pdf", PDF))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("leads:detail", args=[lead.pk]))
        assert response.status_code == 200
        assert response.content.decode().count("f.pdf</a>") == n
        return len(ctx.captured_queries)

    assert queries_with(1) == queries_with(6)


# --- removal -----------------------------------------------------------------------------------


def test_removal_asks_for_confirmation_and_a_reason_and_is_audited(client, org, register):
    lead = register()
    stored = attachment_add(lead=lead, actor=org.intake, upload=upload("误传.pdf", PDF))
    url = reverse("leads:attachment_remove", args=[lead.pk, stored.pk])
    client.force_login(org.office_staff)
    page = client.get(url)
    assert page.status_code == 200 and "data-confirm" in page.content.decode()
    assert client.post(url, {"reason": "  "}).status_code == 422
    assert lead.attachments.exists()
    assert client.post(url, {"reason": "上传错了文件"}).status_code == 302
    assert not lead.attachments.exists()
    event = lead.events.filter(kind=EventKind.ATTACHMENT).last()
    assert event.data["action"] == "removed" and event.data["sha256"] == stored.sha256
    audit = AuditEvent.objects.get(action="leads.attachment.removed")
    assert audit.summary["reason"] == "上传错了文件" and audit.actor == org.office_staff


def test_removal_only_while_the_lead_is_writable(client, org, register):
    lead = register()
    stored = attachment_add(lead=lead, actor=org.intake, upload=upload("证据.pdf", PDF))
    services.lead_close(lead=lead, actor=org.office_staff, reason="无核查价值")
    client.force_login(org.office_staff)
    url = reverse("leads:attachment_remove", args=[lead.pk, stored.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403
    upload_url = reverse("leads:attachment_upload", args=[lead.pk])
    assert client.post(upload_url, {"files": [upload("a.pdf", PDF)]}).status_code == 403
    assert lead.attachments.count() == 1
    with pytest.raises(LeadWorkflowError, match=str(ARCHIVED)):
        attachments.attachment_remove(attachment=stored, actor=org.office_staff, reason="x")
    with pytest.raises(LeadWorkflowError, match=str(ARCHIVED)):
        attachment_add(lead=lead, actor=org.office_staff, upload=upload("b.pdf", PDF))
    # a closed lead's files can still be read
    assert client.get(reverse("leads:attachment", args=[lead.pk, stored.pk])).status_code == 200


def test_removal_needs_a_reason_in_the_service(org, register):
    lead = register()
    stored = attachment_add(lead=lead, actor=org.intake, upload=upload("证据.pdf", PDF))
    with pytest.raises(LeadWorkflowError, match=str(REASON_REQUIRED)):
        attachments.attachment_remove(attachment=stored, actor=org.intake, reason="")


def test_the_handler_removes_only_their_own_files(client, org, assigned):
    lead = assigned()
    office_file = attachment_add(lead=lead, actor=org.intake, upload=upload("a.pdf", PDF))
    own = attachment_add(lead=lead, actor=org.handler.user, upload=upload("b.pdf", PDF))
    client.force_login(org.handler.user)
    other_url = reverse("leads:attachment_remove", args=[lead.pk, office_file.pk])
    assert client.get(other_url).status_code == 403
    own_url = reverse("leads:attachment_remove", args=[lead.pk, own.pk])
    assert client.post(own_url, {"reason": "重复上传"}).status_code == 302
    assert list(lead.attachments.values_list("name", flat=True)) == ["a.pdf"]


# --- the register form and the public page ---------------------------------------------------


def _register_data(org, hotline, **extra):
    return {
        "office": org.office_a.pk,
        "received_date": timezone.localdate().isoformat(),
        "channel": hotline.pk,
        "category": "interference",
        "summary": "反映某干警过问案件",
        "reporter_anonymous": "on",
        **extra,
    }


def test_intake_attaches_several_files_when_registering(client, org, hotline):
    client.force_login(org.intake)
    page = client.get(reverse("leads:register")).content.decode()
    assert 'enctype="multipart/form-data"' in page and "multiple" in page
    response = client.post(
        reverse("leads:register"),
        _register_data(org, hotline, attachments=[upload("a.pdf", PDF), upload("b.png", PNG)]),
    )
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert sorted(lead.attachments.values_list("name", flat=True)) == ["a.pdf", "b.png"]


def test_a_bad_file_on_the_register_form_registers_nothing(client, org, hotline):
    client.force_login(org.intake)
    response = client.post(
        reverse("leads:register"),
        _register_data(org, hotline, attachments=[upload("a.pdf", PDF), upload("b.exe", PDF)]),
    )
    page = response.content.decode()
    assert response.status_code == 200 and "文件“b.exe”的类型不允许" in page
    assert 'id="reselect-files"' in page
    assert not Lead.objects.exists() and not LeadAttachment.objects.exists()


def test_l1_public_report_takes_one_file_without_recording_the_client(client, org):
    page = client.get(reverse("leads:public_report")).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page
    response = client.post(
        reverse("leads:public_report"),
        {
            "office": org.office_a.pk,
            "category": "umbrella",
            "summary": "钱某长期为某涉黑团伙通风报信，收受好处费",
            "attachment": upload("张三实名举报材料.pdf", PDF),
        },
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Mozilla/5.0 Test-UA",
        follow=True,  # post/redirect/get: the code is shown on the receipt page
    )
    assert response.status_code == 200 and 'id="receipt-code"' in response.content.decode()
    stored = LeadAttachment.objects.get()
    assert stored.name == "举报材料.pdf"  # the file name may name the reporter
    assert stored.uploaded_by is None
    events = AuditEvent.objects.filter(object_id=str(stored.lead_id))
    assert all(e.ip is None and e.actor_id is None for e in events)
    dump = repr(list(events.values())) + repr(list(stored.lead.events.values()))
    assert "203.0.113.9" not in dump and "Test-UA" not in dump and "张三" not in dump


def test_l1_public_report_refuses_a_bad_file_with_a_message(client, org):
    response = client.post(
        reverse("leads:public_report"),
        {
            "office": org.office_a.pk,
            "category": "umbrella",
            "summary": "钱某长期为某涉黑团伙通风报信，收受好处费",
            "attachment": upload("视频.mp4", b"\x00\x00\x00\x18ftypmp42"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "类型不允许" in page
    assert not Lead.objects.exists()
