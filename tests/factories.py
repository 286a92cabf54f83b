"""factory_boy factories for the shared model. Apps add theirs in tests/<app>/factories.py."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from rectify.models import (
    Campaign,
    Office,
    Officer,
    Role,
    RoleAssignment,
    Unit,
    UnitKind,
    UnitLevel,
    User,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password("demo-pass-123")


class UnitFactory(factory.django.DjangoModelFactory):
    """Creates through treebeard: pass `parent=` for a child, none for a root."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = UnitKind.OTHER
    level = UnitLevel.DISTRICT

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.objects.add_root(kwargs)
        parent.refresh_from_db()
        return model_class.objects.add_child(parent, kwargs)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    number = factory.Sequence(lambda n: f"{100000 + n}")
    name = factory.Sequence(lambda n: f"干警{n}")
    position = "科员"
    unit = factory.SubFactory(UnitFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = "测试教育整顿"
    is_current = True
    selfcheck_start = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    selfcheck_deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))
    cadre_deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name = factory.Sequence(lambda n: f"教育整顿领导小组办公室{n}")
    short_name = factory.Sequence(lambda n: f"办{n}")


def grant(user: User, role: str, unit: Unit, office: Office | None = None) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, unit=unit, office=office)


def officer_with_login(unit: Unit, username: str, *, role: str = Role.OFFICER, **kwargs) -> Officer:
    user = UserFactory(username=username)
    officer = OfficerFactory(unit=unit, user=user, **kwargs)
    grant(user, role, unit)
    return officer
