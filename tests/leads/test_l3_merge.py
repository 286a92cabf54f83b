"""L3 duplicates: similarity is symmetric, unregistered reports show as 未登记 (not None), a
duplicate is merged with one click from the panel (through the workflow service), the main
lead lists its merged leads with their texts and reporters' messages, and the merged
lead's reporter follows the main lead and can rate it."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from leads import selectors, services
from leads.models import DispositionForm, LeadCategory, LeadConclusion, LeadStatus
from leads.rules.screening import similar_leads
from leads.workflow import LeadWorkflowError
from rectify.models import AuditEvent

pytestmark = pytest.mark.django_db

MAIN = "反映甲区法院张三多次过问其亲属涉诉案件，要求承办法官关照"
DUP = "甲区法院张三多次过问亲属的案件，要求法官关照"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _online(org, summary=DUP):
    return services.public_report_submit(
        office=org.office_a, category=LeadCategory.INTERFERENCE, summary=summary
    )


def test_l3_similarity_is_symmetric_between_a_lead_and_an_online_report(org, register):
    main = register(summary=MAIN, subjects=[org.officer_a])
    dup, _code = _online(org)
    forward = similar_leads(
        text=main.summary, officer_ids=[org.officer_a.pk], exclude_id=main.pk, user=org.intake
    )
    backward = similar_leads(text=dup.summary, exclude_id=dup.pk, user=org.intake)
    assert [s.lead for s in forward] == [dup] and [s.lead for s in backward] == [main]
    assert forward[0].score == backward[0].score > 0.5


def test_l3_panel_shows_unregistered_reports_as_such_and_merges_in_one_click(client, org, register):
    main = register(summary=MAIN)
    dup, _code = _online(org)
    client.force_login(org.intake)
    page = client.get(reverse("leads:detail", args=[main.pk])).content.decode()
    panel = re.search(r'<div id="similar-leads".*?</div>\s*</div>', page, re.S).group(0)
    assert "None" not in panel and "未登记" in panel
    # The online report's own page finds the main lead and offers 并入此线索.
    page = client.get(reverse("leads:detail", args=[dup.pk])).content.decode()
    assert main.number in page and "未发现相似线索" not in page
    assert "并入此线索" in page and "data-confirm" in page
    response = client.post(reverse("leads:merge", args=[dup.pk]), {"into_id": main.pk}, follow=True)
    assert f"已并入线索 {main.number}" in response.content.decode()
    dup.refresh_from_db()
    assert dup.status == LeadStatus.MERGED and dup.merged_into == main
    assert AuditEvent.objects.filter(
        action="leads.lead.transitioned", object_id=str(dup.pk)
    ).exists()  # through the workflow service


def test_l3_merge_refuses_an_unregistered_or_merged_main_lead(org, register):
    first, _ = _online(org)
    second, _ = _online(org, summary="另一条网上举报内容较为具体详细")
    with pytest.raises(LeadWorkflowError, match=services.MERGE_INTO_UNREGISTERED):
        services.lead_merge(lead=second, into=first, actor=org.intake)
    main = register()
    services.lead_merge(lead=first, into=main, actor=org.intake)
    with pytest.raises(LeadWorkflowError, match=services.MERGE_INTO_MERGED):
        services.lead_merge(lead=second, into=first, actor=org.intake)


def test_l3_main_lead_lists_merged_leads_and_the_reporter_follows_it(client, org, assigned):
    main = assigned(summary=MAIN)
    dup, code = _online(org)
    services.reporter_message(lead=dup, text="补充：事情发生在今年三月")
    services.lead_merge(lead=dup, into=main, actor=org.office_staff)
    client.force_login(org.office_staff)
    page = client.get(reverse("leads:detail", args=[main.pk])).content.decode()
    merged = re.search(r'<ul class="ld-merged" id="merged-leads">.*?</ul>', page, re.S).group(0)
    assert DUP in merged and "补充：事情发生在今年三月" in merged and "未登记网上举报" in merged
    assert AuditEvent.objects.filter(action="leads.lead.merged_read").exists()
    # The duplicate's reporter: status follows the main lead; rating once it is concluded.
    client.logout()
    status = reverse("leads:public_status")
    page = client.post(status, {"code": code}).content.decode()
    assert "已与其他线索合并办理：正在办理" in page and 'name="rating"' not in page
    services.lead_conclude(
        lead=main,
        actor=org.handler.user,
        conclusion=LeadConclusion.SUBSTANTIATED,
        result="属实，已处理",
        dealt_with="张三，诫勉谈话",
        disposition_form=DispositionForm.FIRST,
    )
    page = client.post(status, {"code": code}).content.decode()
    assert "已与其他线索合并办理：已办结" in page and 'name="rating"' in page
    client.post(status, {"code": code, "op": "rate", "rating": "5"})
    dup.refresh_from_db()
    assert dup.reporter_rating == 5
    assert selectors.public_status(dup) == "已与其他线索合并办理：已办结"


def test_l3_merged_leads_respect_recusal(client, org, register):
    main = register(summary=MAIN)
    dup = register(summary=DUP, subjects=[org.officer_a2])
    services.lead_merge(lead=dup, into=main, actor=org.office_staff)
    assert selectors.merged_leads(org.office_staff, main) == [dup]
    # 李四 is a subject of the duplicate: never sees it, even through the main lead.
    from rectify.models import Role
    from tests.factories import grant

    grant(org.officer_a2.user, Role.OFFICE, org.district_a, org.office_a)
    assert selectors.merged_leads(org.officer_a2.user, main) == []
