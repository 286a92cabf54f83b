"""Web ledger import: upload stored in the DB, run as a Celery task, progress page polled by
htmx, then the counts or the per-row errors (page and .xlsx)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from leads.ledger import run_import_job
from leads.models import Lead, LeadImportJob
from tests.factories import LeadImportJobFactory
from tests.leads.test_l5_ledger_import import canonical_xlsx, row
from tests.leads.test_l5_ledger_import_parsing import messy_ledger_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, user, office, data, *, dry_run=False, capture):
    client.force_login(user)
    form = {"office": office.pk, "file": SimpleUploadedFile("台账.xlsx", data, XLSX)}
    if dry_run:
        form["dry_run"] = "on"
    with capture(execute=True):
        response = client.post(reverse("leads:import"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return LeadImportJob.objects.latest("id"), response["Location"]


@pytest.mark.django_db
def test_it_imports_through_the_web_with_a_progress_page(
    client, org, channels, django_capture_on_commit_callbacks
):
    job, location = upload(
        client,
        org.intake,
        org.office_a,
        messy_ledger_xlsx(),
        capture=django_capture_on_commit_callbacks,
    )
    assert location == reverse("leads:import_job", args=[job.pk])
    job.refresh_from_db()
    # Issue 10: a preview first, nothing stored until the uploader confirms.
    assert job.status == "preview" and job.result["created"] == 2 and job.processed == 2
    assert Lead.objects.count() == 0
    assert 'id="import-confirm"' in client.get(location).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("leads:import_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and Lead.objects.count() == 2
    page = client.get(location).content.decode()
    assert 'id="import-result"' in page and "hx-trigger" not in page  # finished: no polling
    partial = client.get(location, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith("<div") and "<html" not in partial


@pytest.mark.django_db
def test_a_running_job_is_polled_by_htmx(client, org):
    job = LeadImportJobFactory(
        office=org.office_a,
        created_by=org.intake,
        filename="x.xlsx",
        content=b"",
        total=10,
        processed=4,
        status="running",
    )
    client.force_login(org.intake)
    html = client.get(reverse("leads:import_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="40"' in html


@pytest.mark.django_db
def test_errors_are_shown_per_row_and_downloadable_and_nothing_is_imported(
    client, org, channels, django_capture_on_commit_callbacks
):
    # Issue 10: a handler not in the register is a warning; a duplicate number an error.
    data = canonical_xlsx(
        [row("E-1"), row("E-2", handler="查无此人", unit="甲区公安分局"), row("E-1")]
    )
    job, location = upload(
        client, org.office_staff, org.office_a, data, capture=django_capture_on_commit_callbacks
    )
    job.refresh_from_db()
    assert job.status == "failed" and Lead.objects.count() == 0
    html = client.get(location).content.decode()
    assert 'id="import-errors"' in html and "查无此人" in html and "与第2行编号重复" in html
    response = client.get(reverse("leads:import_errors_xlsx", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    found = list(sheet.iter_rows(values_only=True))[1:]
    assert (3, "承办人", "查无此人") in [r[1:4] for r in found]
    assert (4, "线索编号", "E-1") in [r[1:4] for r in found]


@pytest.mark.django_db
def test_dry_run_through_the_web_stores_no_lead(
    client, org, channels, django_capture_on_commit_callbacks
):
    job, _ = upload(
        client,
        org.intake,
        org.office_a,
        messy_ledger_xlsx(),
        dry_run=True,
        capture=django_capture_on_commit_callbacks,
    )
    job.refresh_from_db()
    assert job.status == "done" and job.result["dry_run"] and Lead.objects.count() == 0


@pytest.mark.django_db
def test_the_task_is_idempotent(org, channels):
    job = LeadImportJobFactory(
        office=org.office_a, created_by=org.intake, filename="x.xlsx", content=messy_ledger_xlsx()
    )
    job.confirmed = True
    job.save()
    run_import_job(job.pk)
    run_import_job(job.pk)  # redelivered after acks_late: a finished job is left alone
    job.refresh_from_db()
    assert job.result["created"] == 2 and Lead.objects.count() == 2


@pytest.mark.django_db
def test_only_intake_and_office_staff_of_the_jurisdiction_may_import_or_see_jobs(client, org):
    job = LeadImportJobFactory(
        office=org.office_a, created_by=org.intake, filename="x.xlsx", content=b""
    )
    client.force_login(org.officer_a.user)
    assert client.get(reverse("leads:import")).status_code == 403
    client.force_login(org.outsider)  # office staff of the other district
    assert client.get(reverse("leads:import_job", args=[job.pk])).status_code == 404
    response = client.post(
        reverse("leads:import"),
        {"office": org.office_a.pk, "file": SimpleUploadedFile("a.xlsx", b"x", XLSX)},
    )
    assert response.status_code == 200 and "office" in response.context["form"].errors


@pytest.mark.django_db
def test_a_broken_file_fails_the_job_with_a_message(org):
    job = LeadImportJobFactory(
        office=org.office_a, created_by=org.intake, filename="x.xlsx", content=b"not a zip"
    )
    run_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and ".xlsx" in job.message
