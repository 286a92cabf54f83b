"""`holds_role_over`: the one test of "is this unit in the user's subtree for role R"."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from rectify.access import holds_role_over
from rectify.models import Role


def test_it_holds_the_subtree_of_an_assignment_for_that_role_only(org):
    assert holds_role_over(org.reviewer, org.district_a, [Role.REVIEWER])
    assert holds_role_over(org.reviewer, org.station_a1, [Role.REVIEWER])
    assert not holds_role_over(org.reviewer, org.court_b, [Role.REVIEWER])
    assert not holds_role_over(org.reviewer, org.city, [Role.REVIEWER])
    assert not holds_role_over(org.reviewer, org.court_a, [Role.OFFICE])


def test_it_gives_a_superuser_no_role_by_being_one(org):
    assert holds_role_over(org.admin, org.court_b, [Role.ADMIN])
    assert not holds_role_over(org.admin, org.court_b, [Role.LEADER])


def test_it_holds_nothing_for_an_anonymous_user(org):
    assert not holds_role_over(AnonymousUser(), org.court_a, [Role.REVIEWER])
