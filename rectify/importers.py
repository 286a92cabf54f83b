"""Import the organisation (units and officers) from one Excel workbook.

`parse_workbook` finds the units sheet and the officers sheet by their headers (not their
names), `validate` checks every row of both before anything is written, and
`import_org` writes everything in one transaction with bulk operations, or nothing at all.
Re-importing the same file changes nothing: units are keyed by code, officers by number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import excel, figures
from .audit import audit_record
from .excel import (
    ExcelError,
)
from .models import AuditVerb, Officer, Role, RoleAssignment, Unit, User
from .services import initial_password_generate

if TYPE_CHECKING:
    from rectify.models import AnyUser

from .org_sheet import (  # noqa: F401  (parse_workbook and validate re-exported)
    OfficerRow,
    UnitRow,
    parse_workbook,
    validate,
)


@dataclass
class ImportResult(excel.ImportResult):
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    officers_created: int = 0
    officers_updated: int = 0
    officers_unchanged: int = 0
    accounts_created: int = 0
    # Generated when accounts were created without a given initial password: shown once to
    # the administrator, never stored in clear.
    initial_password: str = ""

    @property
    def changed(self) -> bool:
        return bool(
            self.units_created
            + self.units_updated
            + self.officers_created
            + self.officers_updated
            + self.accounts_created
        )

    def summary(self) -> dict[str, int]:
        return {
            "units_created": self.units_created,
            "units_updated": self.units_updated,
            "units_unchanged": self.units_unchanged,
            "officers_created": self.officers_created,
            "officers_updated": self.officers_updated,
            "officers_unchanged": self.officers_unchanged,
            "accounts_created": self.accounts_created,
        }

    def summary_line(self) -> str:
        return (
            f"单位：新增 {self.units_created}，更新 {self.units_updated}，"
            f"未变 {self.units_unchanged}；干警：新增 {self.officers_created}，"
            f"更新 {self.officers_updated}，未变 {self.officers_unchanged}；"
            f"账号：新增 {self.accounts_created}"
        )

    def notices(self) -> list[str]:
        if not self.initial_password:
            return []
        return [f"新账号的初始密码（只显示这一次，首次登录须修改）：{self.initial_password}"]


# --- writing ----------------------------------------------------------------------


def _ordered(rows: list[UnitRow]) -> list[UnitRow]:
    """Parents before children."""
    in_file = {r.code: r for r in rows}

    def depth(r: UnitRow) -> int:
        d, parent = 0, in_file.get(r.parent_code)
        while parent is not None and d < len(rows):
            d, parent = d + 1, in_file.get(parent.parent_code)
        return d

    return sorted(rows, key=depth)


def _write_units(rows: list[UnitRow], result: ImportResult) -> None:
    existing = {u.code: u for u in Unit.objects.filter(code__in=[r.code for r in rows])}
    moved = False
    for r in _ordered(rows):
        unit = existing.get(r.code)
        parent = None
        if r.parent_code:
            parent = existing.get(r.parent_code) or Unit.objects.get(code=r.parent_code)
            existing[parent.code] = parent
        if unit is None:
            if parent is not None:
                parent.refresh_from_db()  # numchild/path may have changed under treebeard
            fields = {"code": r.code, "name": r.name, "kind": r.kind, "level": r.level}
            unit = (
                Unit.objects.add_child(parent, fields) if parent else Unit.objects.add_root(fields)
            )
            existing[r.code] = unit
            result.units_created += 1
            continue
        changed = False
        if (unit.name, unit.kind, unit.level) != (r.name, r.kind, r.level):
            unit.name, unit.kind, unit.level = r.name, r.kind, r.level
            unit.save(update_fields=["name", "kind", "level"])
            changed = True
        if moved and parent is not None:  # an earlier move rewrote paths below it
            unit.refresh_from_db()
            parent.refresh_from_db()
        if parent is not None and unit.path[: -Unit.steplen] != parent.path:
            parent.refresh_from_db()
            Unit.objects.move(unit, parent, "sorted-child")
            unit.refresh_from_db()
            changed = moved = True
        if changed:
            result.units_updated += 1
        else:
            result.units_unchanged += 1
    if moved:
        # A moved unit's counters now add up under other ancestors.
        campaign = figures.current_campaign()
        if campaign is not None:
            figures.retotal(campaign)


def _write_officers(rows: list[OfficerRow], result: ImportResult) -> list[Officer]:
    units = dict(
        Unit.objects.filter(code__in={r.unit_code for r in rows}).values_list("code", "id")
    )
    existing = {o.number: o for o in Officer.objects.filter(number__in=[r.number for r in rows])}
    old_units = {o.unit_id for o in existing.values()}  # before the rows below move them
    to_create, to_update = [], []
    for r in rows:
        values = {
            "name": r.name,
            "unit_id": units[r.unit_code],
            "position": r.position,
            "is_leading_cadre": r.is_leading_cadre,
        }
        officer = existing.get(r.number)
        if officer is None:
            to_create.append(Officer(number=r.number, is_active=True, **values))
        elif any(getattr(officer, k) != v for k, v in values.items()) or not officer.is_active:
            for k, v in values.items():
                setattr(officer, k, v)
            officer.is_active = True
            to_update.append(officer)
        else:
            result.officers_unchanged += 1
    Officer.objects.bulk_create(to_create, batch_size=2000)
    Officer.objects.bulk_update(
        to_update, ["name", "unit_id", "position", "is_leading_cadre", "is_active"], batch_size=2000
    )
    result.officers_created += len(to_create)
    result.officers_updated += len(to_update)
    # The self-check counters of the officers' old and new units (moved, (re)activated).
    touched = {units[r.unit_code] for r in rows} | old_units
    figures.touch("sc", touched)
    return list(Officer.objects.filter(number__in=[r.number for r in rows], user__isnull=True))


def _create_accounts(officers: Iterable[Officer], initial_password: str, result: ImportResult):
    """Login = officer number; one shared initial password, changed at first login."""
    officers = list(officers)
    taken = set(
        User.objects.filter(username__in=[o.number for o in officers]).values_list(
            "username", flat=True
        )
    )
    hashed = make_password(initial_password)  # hashed once: all must change it at first login
    new_users = [
        User(username=o.number, first_name=o.name, password=hashed, must_change_password=True)
        for o in officers
        if o.number not in taken
    ]
    User.objects.bulk_create(new_users, batch_size=2000)
    by_name = {
        u.username: u.pk for u in User.objects.filter(username__in=[u.username for u in new_users])
    }
    linked = []
    for officer in officers:
        if officer.number in by_name:
            officer.user_id = by_name[officer.number]
            linked.append(officer)
    Officer.objects.bulk_update(linked, ["user_id"], batch_size=2000)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=o.user_id, role=Role.OFFICER, unit_id=o.unit_id) for o in linked],
        batch_size=2000,
        ignore_conflicts=True,
    )
    result.accounts_created += len(linked)


def import_org(
    *,
    upload: Any,
    actor: AnyUser | str | None,
    dry_run: bool = False,
    create_accounts: bool = False,
    initial_password: str = "",
) -> ImportResult:
    """Validate the whole workbook, then write all of it or nothing. Raises ExcelError for a
    file that cannot be read at all; row problems come back in `result.errors`."""
    result = ImportResult(dry_run=dry_run)
    if create_accounts and initial_password and len(initial_password) < 10:
        raise ExcelError("初始密码至少 10 位（留空则随机生成）")
    units, officers = parse_workbook(upload)
    unit_rows, officer_rows, errors = validate(units, officers)
    if errors:
        result.errors = errors
        return result
    with transaction.atomic():
        _write_units(unit_rows, result)
        without_account = _write_officers(officer_rows, result) if officer_rows else []
        if create_accounts:
            generated = not initial_password
            if generated:
                initial_password = initial_password_generate()
            _create_accounts(without_account, initial_password, result)
            if generated and result.accounts_created and not dry_run:
                result.initial_password = initial_password
        if dry_run:
            transaction.set_rollback(True)
        elif result.changed:
            audit_record(
                actor=actor,
                verb=AuditVerb.CREATE,
                action="rectify.org.imported",
                object_type="rectify.org",
                data=result.summary(),
            )
    return result
