"""Remediation has one entry in the top bar; its parts are section links on its pages."""

from __future__ import annotations

from django.urls import reverse

from rectify.ui import collect_nav


def test_it_puts_one_remediation_entry_in_the_top_bar(org):
    labels = [item.label for item in collect_nav(org.office_staff)]
    assert labels.count("专项整治") == 1
    assert not {"整治承诺", "群众验收", "办实事", "典型案例", "制度规范"} & set(labels)


def test_it_links_the_parts_of_remediation_from_its_pages(client, org):
    client.force_login(org.office_staff)
    body = client.get(reverse("remediation:rule_list"))
    html = body.content.decode()
    assert 'class="rm-sections"' in html
    for label, name in [
        ("问题台账", "remediation:ledger"),
        ("制度规范", "remediation:rule_list"),
        ("整治承诺", "remediation:commitments"),
        ("典型案例", "remediation:cases"),
    ]:
        assert f'href="{reverse(name)}"' in html and label in html
    # The page the user is on is marked.
    assert f'<a href="{reverse("remediation:rule_list")}" aria-current="page">' in html
