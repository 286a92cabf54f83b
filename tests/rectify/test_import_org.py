from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rectify.excel import ExcelError
from rectify.importers import import_org
from rectify.models import AuditEvent, Officer, Role, RoleAssignment, Unit, UnitKind, User
from tests.rectify.xlsx_builders import messy_org_workbook

GOLDEN = Path(__file__).parent.parent / "fixtures" / "xlsx" / "org_messy.xlsx"


@pytest.mark.django_db
def test_it_imports_a_messy_real_world_file():
    result = import_org(upload=messy_org_workbook(), actor=None)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.units_created, result.officers_created) == (6, 3)
    station = Unit.objects.get(code="QHD-KFQ-GA-01")
    assert station.kind == UnitKind.STATION
    assert Unit.objects.get_parent(station).code == "QHD-KFQ-GA"  # full-width codes were folded
    wang = Officer.objects.get(number="010001")  # full-width digits folded
    assert (wang.name, wang.is_leading_cadre, wang.unit.code) == ("王伟", True, "QHD-KFQ-GA")
    assert Officer.objects.get(number="010002").name == "李娜"  # stray spaces gone
    assert AuditEvent.objects.filter(action="rectify.org.imported").count() == 1


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing():
    data = messy_org_workbook()
    import_org(upload=data, actor=None)
    paths = dict(Unit.objects.values_list("code", "path"))
    again = import_org(upload=data, actor=None)
    assert again.ok and not again.changed
    assert (again.units_unchanged, again.officers_unchanged) == (6, 3)
    assert dict(Unit.objects.values_list("code", "path")) == paths
    assert AuditEvent.objects.filter(action="rectify.org.imported").count() == 1


@pytest.mark.django_db
def test_it_updates_changed_rows_and_moves_units():
    import_org(upload=messy_org_workbook(), actor=None)
    moved = messy_org_workbook(
        officers=[["010001", "王伟", "QHD-KFQ-FY", "院长", "是"]],
        extra_unit_rows=[["QHD-KFQ-GA-02", "开发区临港派出所", "派出所", "QHD-KFQ-FY", "基层"]],
    )
    result = import_org(upload=moved, actor=None)
    assert result.ok and result.officers_updated == 1 and result.units_created == 1
    assert Officer.objects.get(number="010001").unit.code == "QHD-KFQ-FY"
    assert Unit.objects.get_parent(Unit.objects.get(code="QHD-KFQ-GA-02")).code == "QHD-KFQ-FY"


@pytest.mark.django_db
def test_it_reports_every_bad_row_and_imports_nothing():
    bad = messy_org_workbook(
        extra_unit_rows=[
            ["X1", "", "法院", "QHD", "市级"],  # no name
            ["X2", "某单位", "银行", "QHD", "市级"],  # unknown kind
            ["X3", "某单位", "法院", "NOPE", "市级"],  # unknown parent
            ["QHD", "重复", "地区", "HB", "市级"],  # duplicate code
        ],
        extra_officer_rows=[
            ["010009", "赵六", "NOWHERE", "民警", "否"],
            ["010010", "钱七", "QHD-KFQ-GA", "民警", "也许"],
        ],
    )
    result = import_org(upload=bad, actor=None)
    found = {(e.sheet, e.column, e.reason[:4]) for e in result.errors}
    assert ("Sheet1", "单位名称", "不能为空") in found
    assert ("Sheet1", "单位类别", "无法识别") in found
    assert ("Sheet1", "上级单位代码", "上级单位") in found
    assert any(e.column == "单位代码" and "重复" in e.reason for e in result.errors)
    assert any(e.sheet == "人员" and e.column == "单位代码" for e in result.errors)
    assert any(e.sheet == "人员" and e.column == "是否领导干部" for e in result.errors)
    rows = {e.row for e in result.errors if e.sheet == "人员"}
    assert rows == {7, 8}  # real spreadsheet row numbers
    assert Unit.objects.count() == 0 and Officer.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_stores_nothing():
    result = import_org(upload=messy_org_workbook(), actor=None, dry_run=True)
    assert result.ok and result.units_created == 6 and result.officers_created == 3
    assert Unit.objects.count() == 0 and Officer.objects.count() == 0


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_xlsx():
    with pytest.raises(ExcelError, match="xlsx"):
        import_org(upload=b"name,code\n", actor=None)


@pytest.mark.django_db
def test_created_accounts_must_change_password():
    result = import_org(
        upload=messy_org_workbook(),
        actor=None,
        create_accounts=True,
        initial_password="Initial-2021-pw",
    )
    assert result.accounts_created == 3
    user = User.objects.get(username="010002")
    assert user.must_change_password and user.check_password("Initial-2021-pw")
    assert user.officer.number == "010002"
    assert RoleAssignment.objects.filter(user=user, role=Role.OFFICER).exists()


@pytest.mark.django_db
def test_import_query_count_does_not_grow_per_officer():
    import_org(upload=messy_org_workbook(), actor=None)

    def queries_for(n: int) -> int:
        rows = [[f"9{n:03d}{i:04d}", f"干警{i}", "QHD-KFQ-GA-01", "民警", "否"] for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            assert import_org(upload=messy_org_workbook(officers=rows), actor=None).ok
        return len(ctx.captured_queries)

    # Bulk writes may split into a few batches (SQLite's parameter limit), never per row.
    few, many = queries_for(20), queries_for(400)
    assert many - few <= 4, (few, many)


@pytest.mark.django_db
def test_the_command_imports_and_reports(tmp_path, capsys):
    path = tmp_path / "org.xlsx"
    path.write_bytes(messy_org_workbook())
    call_command("import_org", str(path), "--dry-run")
    assert Unit.objects.count() == 0
    call_command("import_org", str(path))
    assert Unit.objects.count() == 6
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(messy_org_workbook(extra_officer_rows=[["1", "", "QHD", "", "否"]]))
    with pytest.raises(CommandError, match="未导入"):
        call_command("import_org", str(bad))


@pytest.mark.django_db
def test_the_golden_file_imports():
    # Made once with tests/rectify/xlsx_builders.messy_org_workbook(); kept as a real file.
    result = import_org(upload=GOLDEN, actor=None)
    assert result.ok and result.units_created == 6 and result.officers_created == 3


@pytest.mark.django_db
def test_web_upload_for_admins(client, org):
    client.force_login(org.admin)
    url = reverse("rectify:org_import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("org.xlsx", messy_org_workbook())
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "导入完成" in response.content.decode()
    assert Unit.objects.filter(code="QHD-KFQ-GA-01").exists()
    bad = SimpleUploadedFile(
        "bad.xlsx", messy_org_workbook(extra_officer_rows=[["1", "", "QHD", "", "否"]])
    )
    response = client.post(url, {"file": bad})
    assert response.status_code == 422
    assert "import-errors" in response.content.decode()
    wrong = SimpleUploadedFile("org.csv", b"a,b")
    assert "xlsx" in client.post(url, {"file": wrong}).content.decode()
    broken = SimpleUploadedFile("org.xlsx", b"not really a zip file")
    response = client.post(url, {"file": broken})
    assert response.status_code == 422 and "errorlist" in response.content.decode()


@pytest.mark.django_db
def test_web_upload_is_admin_only(client, org):
    url = reverse("rectify:org_import")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(org.office_staff)
    assert client.get(url).status_code == 403
    upload = SimpleUploadedFile("org.xlsx", messy_org_workbook())
    assert client.post(url, {"file": upload}).status_code == 403
    assert not Unit.objects.filter(code="QHD-KFQ").exists()


@pytest.mark.django_db
def test_web_upload_shows_a_generated_initial_password_once(client, org):
    client.force_login(org.admin)
    url = reverse("rectify:org_import")
    upload = SimpleUploadedFile("org.xlsx", messy_org_workbook())
    page = client.post(url, {"file": upload, "create_accounts": "on"}).content.decode()
    user = User.objects.get(username="010001")
    password = page.split('id="initial-password"')[1].split("<code>")[1].split("</code>")[0]
    assert user.check_password(password) and user.must_change_password
    again = SimpleUploadedFile("org.xlsx", messy_org_workbook())
    assert (
        "initial-password"
        not in client.post(url, {"file": again, "create_accounts": "on"}).content.decode()
    )


@pytest.mark.django_db
def test_it_generates_a_one_time_initial_password_when_none_is_given():
    result = import_org(upload=messy_org_workbook(), actor=None, create_accounts=True)
    assert result.accounts_created == 3 and len(result.initial_password) >= 12
    user = User.objects.get(username="010001")
    assert user.check_password(result.initial_password) and user.must_change_password
    again = import_org(upload=messy_org_workbook(), actor=None, create_accounts=True)
    assert again.accounts_created == 0 and not again.initial_password and not again.changed


@pytest.mark.django_db
def test_it_refuses_to_move_a_unit_under_its_own_descendant():
    import_org(upload=messy_org_workbook(), actor=None)
    # The file says 开发区 now sits under its own police station (already in the database).
    base = messy_org_workbook(
        officers=[],
        extra_unit_rows=[["QHD-KFQ-X", "开发区某单位", "其他", "QHD-KFQ-GA-01", "基层"]],
    )
    assert import_org(upload=base, actor=None).ok
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(messy_org_workbook(officers=[])))  # without QHD-KFQ-X
    ws = wb["Sheet1"]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == "QHD-KFQ":
            row[3].value = "QHD-KFQ-X"  # QHD-KFQ-X is not in this file: its parent is in the DB
    buffer = io.BytesIO()
    wb.save(buffer)
    paths = dict(Unit.objects.values_list("code", "path"))
    result = import_org(upload=buffer.getvalue(), actor=None)
    assert result.errors and {(e.column, e.reason) for e in result.errors} == {
        ("上级单位代码", "上下级关系成环")
    }
    assert "QHD-KFQ-X" in {e.value for e in result.errors}
    assert dict(Unit.objects.values_list("code", "path")) == paths
