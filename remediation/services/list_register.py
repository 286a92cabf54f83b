"""What the rows of a problem-list import are resolved against, loaded once per import in a
fixed number of queries (chunked `IN` lists): the units, plans and officers of the
importer's scope and the existing items the importer may see and manage.

An existing number the importer may not see or change, or a number in another unit's
numbering (ZG-<code>-…) outside the scope, is answered with one wording, like a number
that does not exist for them: an import never tells whether a hidden item exists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from rectify.excel import clean_text, fold_word, unit_words
from rectify.models import Officer, Unit

from ..access import can_manage_item, items_visible_to
from ..models import Item, Measure, Plan
from ..rules.problem_list import N_PREFIX, parse_person, problem_code

if TYPE_CHECKING:
    from rectify.models import AnyUser, Campaign

NUMBER_UNAVAILABLE = _("该问题编号不可用（不存在于您可修改的范围内，或属于其他单位的编号）")
UNIT_UNKNOWN = _("在导入范围内找不到该单位（可填全称、简称或别名）")
UNIT_AMBIGUOUS = _("有多个单位叫这个名称，请填全称")
PERSON_UNKNOWN = _("在导入范围内找不到该干警（填警号，或“姓名（警号）”，或姓名）")
PERSON_AMBIGUOUS = _("同名干警不止一人，请填警号")

_NUMBERING = re.compile(r"^ZG-(.+)-\d{4}-\d+$")
IN_CHUNK = 900  # below SQLite's bound on query parameters


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


class Register:
    def __init__(
        self,
        *,
        root: Unit,
        campaign: Campaign,
        actor: AnyUser,
        numbers: Iterable[str],
        people: Iterable[str],
    ) -> None:
        self.root = root
        self.actor = actor
        self.units = list(Unit.objects.filter(path__startswith=root.path).order_by("path"))
        self.unit_by_path = {u.path: u for u in self.units}
        self.codes = {u.code for u in self.units}
        self.unit_by_word: dict[str, list[Unit]] = {}
        for unit in self.units:
            for word in unit_words(unit):
                found = self.unit_by_word.setdefault(fold_word(word), [])
                if unit not in found:
                    found.append(unit)
        self.plans: dict[tuple[int, str], Plan] = {}
        self.n_items: dict[int, dict[str, str]] = {}  # unit id -> folded text -> n<id>
        plans = Plan.objects.filter(campaign=campaign, unit__path__startswith=root.path)
        for plan in plans.select_related("unit", "n_item"):
            key = plan.problem or f"n{plan.n_item_id}"
            self.plans[(plan.unit_id, key)] = plan
            if plan.n_item_id:
                self.n_items.setdefault(plan.unit_id, {})[fold_word(plan.n_item.text)] = key
        numbers = sorted({n for n in numbers if n})
        self.taken: set[str] = set()
        self.items: dict[str, Item] = {}
        measures = Prefetch("measures", queryset=Measure.objects.order_by("id"))
        for chunk in _chunks(numbers):
            self.taken |= set(
                Item.objects.filter(number__in=chunk).values_list("number", flat=True)
            )
            visible = (
                items_visible_to(actor)
                .filter(number__in=chunk, unit__path__startswith=root.path)
                .select_related("plan", "unit", "responsible_unit", "responsible_person")
                .prefetch_related(measures)
            )
            self.items.update({i.number: i for i in visible if can_manage_item(actor, i)})
        names, numbers_of_people = set(), set()
        for text in people:
            name, number = parse_person(text)
            if number:
                numbers_of_people.add(number)
            elif name:
                names.add(name)
                numbers_of_people.add(name)  # a bare cell may be a 警号
        self.officer_by_number: dict[str, Officer] = {}
        self.officers_by_name: dict[str, list[Officer]] = {}
        scope = Officer.objects.filter(unit__path__startswith=root.path).select_related("unit")
        for chunk in _chunks(sorted(numbers_of_people)):
            for officer in scope.filter(number__in=chunk):
                self.officer_by_number[officer.number] = officer
        for chunk in _chunks(sorted(names)):
            for officer in scope.filter(name__in=chunk).order_by("id"):
                self.officers_by_name.setdefault(officer.name, []).append(officer)

    # --- numbers ---------------------------------------------------------------------

    def item(self, number: str) -> Item | None:
        return self.items.get(number)

    def unavailable(self, number: str) -> bool:
        """A number the importer may not use: held by an item they may not change, or in
        the numbering of a unit outside their scope."""
        if number in self.items:
            return False
        if number in self.taken:
            return True
        match = _NUMBERING.match(number)
        return bool(match and match.group(1) not in self.codes)

    # --- units, plans, people --------------------------------------------------------

    def unit(self, word: Any, current: Unit | None = None) -> tuple[Unit | None, str]:
        """(unit, problem): the stored unit when the cell names it, else by full name,
        code or alias, else by the end of a full name when only one unit ends so."""
        folded = fold_word(word)
        if current is not None and folded in {fold_word(w) for w in unit_words(current)}:
            return current, ""
        found = self.unit_by_word.get(folded, [])
        if not found and len(folded) >= 3:
            found = [u for u in self.units if fold_word(u.name).endswith(folded)]
        if len(found) == 1:
            return found[0], ""
        return None, str(UNIT_AMBIGUOUS if found else UNIT_UNKNOWN)

    def problem_key(self, word: Any, unit: Unit) -> str | None:
        """A chronic problem code, or `n<id>` of an "N" item planned by the unit or one of
        its ancestors within the scope."""
        code = problem_code(word)
        if code:
            return code
        text = clean_text(word).removeprefix(clean_text(N_PREFIX))
        folded = fold_word(text)
        for path in reversed(unit.ancestor_paths()):
            ancestor = self.unit_by_path.get(path)
            if ancestor is not None and folded in self.n_items.get(ancestor.pk, {}):
                return self.n_items[ancestor.pk][folded]
        return None

    def plan_for(self, unit: Unit, key: str) -> Plan | None:
        """The unit's plan for `key`, else its nearest ancestor's within the scope."""
        for path in reversed(unit.ancestor_paths()):
            ancestor = self.unit_by_path.get(path)
            if ancestor is not None and (ancestor.pk, key) in self.plans:
                return self.plans[(ancestor.pk, key)]
        return None

    def person(
        self, word: Any, *, within: Unit | None, current: Officer | None
    ) -> tuple[Officer | None, str]:
        name, number = parse_person(word)
        if current is not None and (
            number == current.number or (not number and name in (current.name, current.number))
        ):
            return current, ""
        if number:
            officer = self.officer_by_number.get(number)
            return (officer, "") if officer else (None, str(PERSON_UNKNOWN))
        if name in self.officer_by_number:
            return self.officer_by_number[name], ""
        found = self.officers_by_name.get(name, [])
        if within is not None and len(found) > 1:
            found = [o for o in found if o.unit.is_within(within)] or found
        if len(found) == 1:
            return found[0], ""
        return None, str(PERSON_AMBIGUOUS if found else PERSON_UNKNOWN)
