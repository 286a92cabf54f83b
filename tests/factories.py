"""factory_boy factories for every app's models, used instead of hand-made `objects.create`.

A factory writes a row as it is, past the services: use it for the state a test starts
from (a lead as an old ledger left it, a version submitted on a given day), and the services
(`register`, `submit` fixtures) where the test is about how that state comes about.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from leads.models import Lead, LeadImportJob, LeadSubject
from rectify import figures
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
from selfcheck.models import (
    BusinessRow,
    LendingRow,
    ReportVersion,
    SelfCheckReport,
    VersionAnswer,
)


class _Counted:
    """Keeps the maintained figures (rectify.figures) as the services do: a factory row
    recounts its unit, so pages reading the counters see what the test made."""

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)  # type: ignore[misc]
        if create:
            cls._recount(instance)

    @classmethod
    def _recount(cls, instance) -> None:
        raise NotImplementedError


def _touch_leads(lead_ids) -> None:
    from leads.figures import touch_leads

    touch_leads(lead_ids)


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


class OfficerFactory(_Counted, factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    @classmethod
    def _recount(cls, instance) -> None:
        figures.touch("sc", [instance.unit_id])

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


# --- leads --------------------------------------------------------------------------------


class LeadFactory(_Counted, factory.django.DjangoModelFactory):
    """A lead row (status 登记, as the model defaults). `subjects=[officer or "name", ...]`
    adds its subjects: an officer of the register by officer and name, a string as a name
    not in the register."""

    class Meta:
        model = Lead
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"F-{n}")
    office = factory.SubFactory(OfficeFactory)
    summary = "线索"

    @factory.post_generation
    def subjects(self, create, extracted, **kwargs):
        for subject in extracted or ():
            if isinstance(subject, str):
                LeadSubjectFactory(lead=self, name=subject)
            else:
                LeadSubjectFactory(lead=self, officer=subject)

    @classmethod
    def _recount(cls, instance) -> None:
        _touch_leads([instance.pk])


class LeadSubjectFactory(_Counted, factory.django.DjangoModelFactory):
    """A subject of a lead; named as the officer is, when there is one."""

    class Meta:
        model = LeadSubject

    @classmethod
    def _recount(cls, instance) -> None:
        _touch_leads([instance.lead_id])

    lead = factory.SubFactory(LeadFactory)
    officer = None
    name = factory.LazyAttribute(lambda o: o.officer.name if o.officer else "被反映人")


class LeadImportJobFactory(factory.django.DjangoModelFactory):
    """An uploaded ledger waiting for the import task (status as the model defaults)."""

    class Meta:
        model = LeadImportJob

    office = factory.SubFactory(OfficeFactory)
    created_by = factory.SubFactory(UserFactory)
    filename = "x.xlsx"
    content = b""


# --- selfcheck ------------------------------------------------------------------------------


class SelfCheckReportFactory(_Counted, factory.django.DjangoModelFactory):
    """The officer's one report of the campaign (got if it exists)."""

    class Meta:
        model = SelfCheckReport
        django_get_or_create = ("campaign", "officer")

    campaign = factory.SubFactory(CampaignFactory)
    officer = factory.SubFactory(OfficerFactory)

    @classmethod
    def _recount(cls, instance) -> None:
        figures.touch("sc", [instance.officer.unit_id])


class ReportVersionFactory(_Counted, factory.django.DjangoModelFactory):
    """A submitted version, numbered after the report's others and made its latest.

    `yes_on=[keys]` answers "yes" on those items; `business=[(name, enterprise), ...]` and
    `lending=[counterparty, ...]` add declaration rows.
    """

    class Meta:
        model = ReportVersion
        skip_postgeneration_save = True

    report = factory.SubFactory(SelfCheckReportFactory)
    number = factory.LazyAttribute(lambda o: o.report.versions.count() + 1)
    submitted_at = factory.LazyFunction(timezone.now)
    content = factory.LazyFunction(dict)
    content_hash = "-"
    deadline = factory.LazyAttribute(lambda o: o.report.campaign.selfcheck_deadline)
    in_window = True

    @factory.post_generation
    def yes_on(self, create, extracted, **kwargs):
        for position, key in enumerate(extracted or ()):
            VersionAnswerFactory(version=self, key=key, position=position)

    @factory.post_generation
    def business(self, create, extracted, **kwargs):
        for position, (name, enterprise) in enumerate(extracted or ()):
            BusinessRowFactory(version=self, position=position, name=name, enterprise=enterprise)

    @factory.post_generation
    def lending(self, create, extracted, **kwargs):
        for position, counterparty in enumerate(extracted or ()):
            LendingRowFactory(version=self, position=position, counterparty=counterparty)

    @factory.post_generation
    def made_latest(self, create, extracted, **kwargs):
        SelfCheckReport.objects.filter(pk=self.report_id).update(latest_version=self)

    @classmethod
    def _recount(cls, instance) -> None:
        officer = instance.report.officer
        figures.touch("sc", [officer.unit_id])
        # Backdated declarations change the L12 figure of leads about the officer.
        _touch_leads(LeadSubject.objects.filter(officer=officer).values_list("lead_id", flat=True))


class VersionAnswerFactory(factory.django.DjangoModelFactory):
    """A "yes" on a yes/no item, labelled by its key."""

    class Meta:
        model = VersionAnswer

    version = factory.SubFactory(ReportVersionFactory)
    key = factory.Sequence(lambda n: f"item{n}")
    position = 0
    label = factory.LazyAttribute(lambda o: o.key)
    kind = "yesno"
    yes = True


class BusinessRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessRow

    version = factory.SubFactory(ReportVersionFactory)
    position = 0
    relation = "spouse"
    name = "王芳"
    enterprise = "某某贸易有限公司"


class LendingRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LendingRow

    version = factory.SubFactory(ReportVersionFactory)
    position = 0
    counterparty = "借贷对象"


# --- roles ---------------------------------------------------------------------------------


def grant(user: User, role: str, unit: Unit, office: Office | None = None) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, unit=unit, office=office)


def officer_with_login(unit: Unit, username: str, *, role: str = Role.OFFICER, **kwargs) -> Officer:
    user = UserFactory(username=username)
    officer = OfficerFactory(unit=unit, user=user, **kwargs)
    grant(user, role, unit)
    return officer


# --- remediation: closure and escalation (R5, R6) ---------------------------------------
# Plans, items, measures, evidence and survey responses as the closure tests need them.


class RemediationDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "remediation.Document"

    name = "佐证.pdf"
    content_type = "application/pdf"
    size = 4
    sha256 = "0" * 64
    content = b"%PDF"


class RemediationPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "remediation.Plan"
        django_get_or_create = ("campaign", "unit", "problem")

    campaign = factory.LazyFunction(Campaign.current)
    problem = "interference"
    title = factory.Sequence(lambda n: f"整治方案{n}")
    goal = "整治到位"
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))


class RemediationItemFactory(_Counted, factory.django.DjangoModelFactory):
    class Meta:
        model = "remediation.Item"

    @classmethod
    def _recount(cls, instance) -> None:
        figures.touch("rm", [instance.unit_id])

    plan = factory.SubFactory(RemediationPlanFactory)
    unit = factory.LazyAttribute(lambda o: o.plan.unit)
    responsible_unit = factory.LazyAttribute(lambda o: o.unit)
    number = factory.Sequence(lambda n: f"ZG-{n:04d}")
    description = "执法不规范问题"
    kind = "frequent"
    origin = "inspection"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class RemediationMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "remediation.Measure"

    item = factory.SubFactory(RemediationItemFactory)
    text = "建立执法台账"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))


class RemediationEvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "remediation.Evidence"

    item = factory.SubFactory(RemediationItemFactory)
    document = factory.SubFactory(RemediationDocumentFactory)
    note = "整改台账"


def survey_responses(item: object, scores: list[int]) -> None:
    """One answered one-time code per score, on the item's own survey batch."""
    from remediation.models import SurveyBatch, SurveyCode, SurveyResponse

    batch = SurveyBatch.objects.create(
        campaign=item.plan.campaign, unit=item.unit, item=item, size=len(scores)
    )
    for i, score in enumerate(scores):
        code = SurveyCode.objects.create(
            batch=batch, digest=f"{batch.pk:08d}{i:056d}", used_at=timezone.now()
        )
        SurveyResponse.objects.create(code=code, unit=item.unit, item=item, satisfaction=score)
    figures.touch("rm", [item.unit_id])


# --- remediation: plans, items, measures (engineer RA) ------------------------------------


class PlanFactory(factory.django.DjangoModelFactory):
    """A plan for a chronic problem; pass `campaign` and `unit`."""

    class Meta:
        model = "remediation.Plan"

    problem = "interference"
    title = factory.Sequence(lambda n: f"整治方案{n}")
    goal = "杜绝违反“三个规定”问题"
    start_date = factory.LazyFunction(timezone.localdate)
    end_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=90))


class ItemFactory(_Counted, factory.django.DjangoModelFactory):
    """An item of `plan` (unit and responsible unit follow the plan)."""

    class Meta:
        model = "remediation.Item"

    @classmethod
    def _recount(cls, instance) -> None:
        figures.touch("rm", [instance.unit_id])

    unit = factory.LazyAttribute(lambda o: o.plan.unit)
    responsible_unit = factory.LazyAttribute(lambda o: o.plan.unit)
    number = factory.Sequence(lambda n: f"ZG-T-{n:05d}")
    description = factory.Sequence(lambda n: f"问题描述{n}")
    kind = "frequent"
    origin = "inspection"
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "remediation.Measure"

    text = factory.Sequence(lambda n: f"整改措施{n}")
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))


# --- remediation: outputs (rules R7, rotations R8, meetings O3) --------------------------


def outputs_item(unit: Unit, number: str, **kwargs) -> object:
    """A remediation item (and its plan) in `unit`, for the outputs tests."""
    return RemediationItemFactory(plan__unit=unit, number=number, **kwargs)


# --- remediation: public commitments, survey, practical matters, typical cases (RC) -----


def remediation_item(unit: Unit, *, campaign: Campaign | None = None, number: str = "", **kw):
    """A plan of `unit` (one per chronic problem) and one item of it."""
    from rectify.models import ChronicProblem
    from remediation.models import Item, ItemKind, ItemOrigin, Plan

    campaign = campaign or Campaign.current()
    plan, _ = Plan.objects.get_or_create(
        campaign=campaign,
        unit=unit,
        problem=ChronicProblem.BUSINESS,
        defaults={
            "title": f"{unit.name}整治方案",
            "goal": "整治目标",
            "start_date": timezone.localdate(),
            "end_date": timezone.localdate() + dt.timedelta(days=60),
        },
    )
    number = number or f"RC-{unit.code}-{Item.objects.count() + 1}"
    defaults = {
        "description": "窗口单位办事推诿、群众反映强烈",
        "kind": ItemKind.FREQUENT,
        "origin": ItemOrigin.PUBLIC,
        "deadline": timezone.localdate() + dt.timedelta(days=30),
        "responsible_unit": unit,
    }
    defaults.update(kw)
    return Item.objects.create(plan=plan, unit=unit, number=number, **defaults)
