"""O7: the 通报: generated from the levers, ranking child units and naming the lagging ones;
editable (text only, the ranking frozen) until issued; issued to the child units' offices
and heads with read receipts."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from leadership.models import Bulletin, BulletinReceipt, BulletinStatus
from leadership.selectors.levers import child_levers
from leadership.services import reports as svc
from rectify import figures
from rectify.models import AuditEvent, Role, RoleAssignment, UnitFigure, UnitFigureTotal
from tests.factories import UserFactory, grant

from .o7_fixtures import make_chain, put

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(org):
    return make_chain(org)


def generate(client, chain) -> Bulletin:
    client.force_login(chain.city_staff)
    response = client.post(
        reverse("leadership:bulletin_generate"), {"office": chain.city_office.pk}
    )
    assert response.status_code == 302
    return Bulletin.objects.latest("pk")


def fill(org) -> None:
    # Only these figures: drop what the fixture's own officers and rows counted.
    UnitFigure.objects.filter(campaign=org.campaign).delete()
    UnitFigureTotal.objects.filter(campaign=org.campaign).delete()
    c = org.campaign
    # 甲区: 查结率 90%, 填报率 100%; 乙区: 查结率 20% (red), 填报率 50% (red).
    put(c, org.court_a, {"ld.received": 10, "ld.concluded": 9})
    put(c, org.court_a, {"sc.expected": 4, "sc.submitted": 4})
    put(c, org.court_b, {"ld.received": 5, "ld.concluded": 1})
    put(c, org.court_b, {"sc.expected": 4, "sc.submitted": 2})


def test_o7_bulletin_ranks_child_units_from_the_levers_and_names_laggards(client, chain):
    org = chain.org
    fill(org)
    bulletin = generate(client, chain)
    assert bulletin.status == BulletinStatus.DRAFT
    assert [r["unit"] for r in bulletin.ranking] == ["甲区", "乙区"]
    levers = child_levers(
        chain.city_staff, org.campaign, org.city, [org.district_a, org.district_b]
    )
    for row, lv in zip(bulletin.ranking, levers, strict=True):
        assert row["closure_rate"] == lv.closure_rate
        assert row["filing_rate"] == lv.filing_rate
        assert row["accepted_rate"] == lv.accepted_rate
    assert [r["lagging"] for r in bulletin.ranking] == [False, True]
    assert "进度滞后的单位：乙区" in bulletin.body
    page = client.get(reverse("leadership:bulletin_detail", args=[bulletin.pk])).content.decode()
    assert "rp-lagging" in page and "@media print" not in page  # print CSS in its file
    assert "leadership-reports.css" in page and 'id="bulletin-issue"' in page


def test_o7_bulletin_edit_keeps_the_frozen_ranking(client, chain):
    org = chain.org
    fill(org)
    bulletin = generate(client, chain)
    frozen = list(bulletin.ranking)
    put(org.campaign, org.court_b, {"ld.concluded": 5})  # 乙区 catches up after generation
    edit = reverse("leadership:bulletin_edit", args=[bulletin.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {"title": "关于第一期工作进展的通报", "body": "正文已修改"})
    bulletin.refresh_from_db()
    assert (bulletin.title, bulletin.body) == ("关于第一期工作进展的通报", "正文已修改")
    assert bulletin.ranking == frozen
    client.post(edit, {"title": "  ", "body": "x"})
    bulletin.refresh_from_db()
    assert bulletin.title == "关于第一期工作进展的通报"  # a title is required
    # Other offices may not edit it, nor see the draft.
    client.force_login(org.office_staff)
    assert client.get(edit).status_code == 404
    assert client.get(reverse("leadership:bulletin_detail", args=[bulletin.pk])).status_code == 404


def test_o7_bulletin_issue_and_read_receipts(client, chain):
    org = chain.org
    head_a = UserFactory(username="head_district_a")
    grant(head_a, Role.UNIT_HEAD, org.district_a)
    bulletin = generate(client, chain)
    client.post(reverse("leadership:bulletin_issue", args=[bulletin.pk]))
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.ISSUED and bulletin.issued_by == chain.city_staff
    addressees = set(BulletinReceipt.objects.values_list("user__username", flat=True))
    assert addressees == {"office_a", "outsider", "head_district_a"}
    detail = reverse("leadership:bulletin_detail", args=[bulletin.pk])
    assert "已读 0/3" in client.get(detail).content.decode()

    client.force_login(org.office_staff)
    assert client.get(detail).status_code == 200
    assert client.get(detail).status_code == 200  # a second opening keeps the first time
    assert "收到的通报" in client.get(reverse("leadership:reports")).content.decode()
    receipt = BulletinReceipt.objects.get(user=org.office_staff)
    assert receipt.opened_at is not None
    assert AuditEvent.objects.filter(action="leadership.bulletin.read").count() == 1

    client.force_login(chain.city_staff)
    page = client.get(detail).content.decode()
    assert "已读 1/3" in page and "office_a" in page
    # Issued: no more edits; someone not addressed gets 404.
    with pytest.raises(svc.ReportError, match=svc.NOT_DRAFT):
        svc.bulletin_edit(bulletin=bulletin, actor=chain.city_staff, title="x", body="")
    client.force_login(org.officer_a.user)
    assert client.get(detail).status_code == 404
    assert {"leadership.bulletin.created", "leadership.bulletin.issued"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_o7_bulletin_without_addressees_is_not_issued(client, chain):
    org = chain.org
    assert svc.bulletin_addressees(org.office_a) == [org.unit_head.user.pk]  # 公安分局局长
    RoleAssignment.objects.filter(role=Role.UNIT_HEAD).delete()
    client.force_login(org.office_staff)
    client.post(reverse("leadership:bulletin_generate"), {"office": org.office_a.pk})
    bulletin = Bulletin.objects.get(office=org.office_a)
    with pytest.raises(svc.ReportError, match=svc.NO_ADDRESSEES):
        svc.bulletin_issue(bulletin=bulletin, actor=org.office_staff)
    # through the page: a message, still a draft
    client.post(reverse("leadership:bulletin_issue", args=[bulletin.pk]), follow=True)
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.DRAFT


def test_o7_bulletin_unread_shows_on_the_addressees_home(client, chain):
    org = chain.org
    bulletin = generate(client, chain)
    client.post(reverse("leadership:bulletin_issue", args=[bulletin.pk]))
    client.force_login(org.unit_head.user)
    assert client.get(reverse("home")).status_code == 200
    client.force_login(org.outsider)
    home = client.get(reverse("home")).content.decode()
    assert "未读通报" in home
    client.get(reverse("leadership:bulletin_detail", args=[bulletin.pk]))
    assert "未读通报" not in client.get(reverse("home")).content.decode()


def test_o7_bulletin_recusal_an_addressee_never_sees_counts_about_themselves(client, chain):
    org = chain.org
    put(org.campaign, org.court_a, {"ld.received": 2, "ld.concluded": 1})
    about = org.office_staff  # 甲区's office: addressee, and named in a lead under 甲区

    def hidden(user, campaign, unit, width):
        if user.pk != about.pk or not org.court_a.path.startswith(unit.path):
            return {}
        return {org.court_a.path[:width]: Counter({"ld.received": 1})}

    figures.register(figures.FigureSource(name="zz", compute=lambda *a: {}, hidden=hidden))
    try:
        bulletin = generate(client, chain)
        client.post(reverse("leadership:bulletin_issue", args=[bulletin.pk]))
        assert bulletin.ranking[0]["unit"] == "甲区"
        assert bulletin.ranking[0]["closure_rate"] == 50.0
        client.force_login(about)
        page = client.get(reverse("leadership:bulletin_detail", args=[bulletin.pk]))
        assert [r["closure_rate"] for r in page.context["rows"] if r["unit"] == "甲区"] == [100.0]
        client.force_login(org.outsider)
        page = client.get(reverse("leadership:bulletin_detail", args=[bulletin.pk]))
        assert page.context["rows"] == bulletin.ranking
    finally:
        figures._SOURCES.pop("zz", None)
