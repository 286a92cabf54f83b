"""Scoping: which units a user holds which roles over, and what that lets them see.

The primitives know only units and roles: `roles_of`, `scope_paths`, `unit_q`,
`units_visible_to`, `holds_role_over`, `role_required`. A RoleAssignment gives its holder
the subtree rooted at its unit. A user's assignments are read once per request (one query,
cached on the user object) and turned into `path LIKE 'prefix%'` conditions, so every
scoped list costs the same number of queries however much data there is. Objects handed to
a person (a lead assigned to a handler) are reached through their foreign key.

Views never filter by hand: they call a function here or in their app's access rules, or a
`get_<obj>_for_user` helper, which gives 404 for what the user may not see. The self-check
rules live in selfcheck/access.py, the leads rules in leads/access.py.

Superusers are administrators of the system, not readers of case files: they get no
blanket read of leads (recusal applies whatever the role); see the app functions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .audit import audit_record
from .models import AuditEvent, AuditVerb, Office, Officer, Role, RoleAssignment, Unit

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from rectify.models import AnyUser

_CACHE_ATTR = "_rectify_assignments"
_T = TypeVar("_T")


def assignments_of(user: AnyUser) -> list[RoleAssignment]:
    """The user's role assignments with their units (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("unit", "office"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_assignments(user: AnyUser) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: AnyUser) -> set[str]:
    roles = {a.role for a in assignments_of(user)}
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    return roles


def has_role(user: AnyUser, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def scope_paths(user: AnyUser, roles: Iterable[str] | None = None) -> list[str]:
    """Tree paths of the subtrees the user holds `roles` over (redundant nested ones dropped)."""
    wanted = set(roles) if roles is not None else None
    paths = sorted(
        {a.unit.path for a in assignments_of(user) if wanted is None or a.role in wanted}
    )
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def holds_role_over(user: AnyUser, unit: Unit, roles: Iterable[str]) -> bool:
    """Whether `unit` lies in a subtree the user holds one of `roles` over (the unit
    itself included). Only role assignments count: being a superuser holds no role."""
    path = unit.path
    return any(path.startswith(p) for p in scope_paths(user, roles))


def unit_q(user: AnyUser, roles: Iterable[str] | None = None, *, prefix: str = "") -> Q:
    """A Q matching rows whose unit (reached through `prefix`, e.g. `unit__`) is in scope."""
    paths = scope_paths(user, roles)
    if getattr(user, "is_superuser", False) and (roles is None or Role.ADMIN in set(roles)):
        # Always true, and unlike an empty Q() it survives `|`: `Q() | Q(user_id=…)` is
        # just the right-hand side, which left a superuser's officer list empty.
        return Q(pk__isnull=False)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def units_visible_to(user: AnyUser, roles: Iterable[str] | None = None) -> QuerySet[Unit]:
    """Units in the subtrees of the user's role assignments (all of them for superusers)."""
    return Unit.objects.filter(unit_q(user, roles))


def unit_ids_visible_to(user: AnyUser, roles: Iterable[str] | None = None) -> QuerySet:
    return units_visible_to(user, roles).values("id")


# Roles that see officer records across their subtree (the officer role sees only self).
OFFICER_READERS = (Role.REVIEWER, Role.INTAKE, Role.OFFICE, Role.UNIT_HEAD, Role.LEADER, Role.ADMIN)


def officers_visible_to(user: AnyUser) -> QuerySet[Officer]:
    """Officers of the subtrees the user reviews, staffs, heads or leads; plus themselves."""
    q = unit_q(user, OFFICER_READERS, prefix="unit__")
    own = Q(user_id=user.pk) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return Officer.objects.filter(q | own).select_related("unit")


def offices_visible_to(user: AnyUser) -> QuerySet[Office]:
    return Office.objects.filter(unit_q(user, prefix="jurisdiction__")).select_related(
        "jurisdiction", "host_unit"
    )


def audit_events_visible_to(user: AnyUser) -> QuerySet[AuditEvent]:
    """The audit trail is for system administrators only."""
    if has_role(user, Role.ADMIN):
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


def audited_lookup(object_type: str) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
    """Decorator of every `get_<obj>_for_user(user, pk)` helper: the 404 it gives a
    signed-in user is audited (verb denied, action `<object_type>.denied`, the id asked
    for), so probing ids leaves a trace. Missing and invisible objects are recorded alike,
    as they are answered alike."""

    def decorator(helper: Callable[..., _T]) -> Callable[..., _T]:
        @wraps(helper)
        def wrapped(user: AnyUser, pk: int | str, *args, **kwargs) -> _T:
            try:
                return helper(user, pk, *args, **kwargs)
            except Http404:
                if getattr(user, "is_authenticated", False):
                    audit_record(
                        actor=user,
                        verb=AuditVerb.DENIED,
                        action=f"{object_type}.denied",
                        object_type=object_type,
                        object_id=str(pk)[:64],
                    )
                raise

        return wrapped

    return decorator


@audited_lookup("rectify.officer")
def get_officer_for_user(user: AnyUser, pk: int) -> Officer:
    try:
        return officers_visible_to(user).get(pk=pk)
    except Officer.DoesNotExist as exc:
        raise Http404 from exc


@audited_lookup("rectify.unit")
def get_unit_for_user(user: AnyUser, pk: int) -> Unit:
    try:
        return units_visible_to(user).get(pk=pk)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc


def role_required(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: the user must hold one of `roles` (403 otherwise; login first)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin:
    """CBV twin of `role_required`."""

    required_roles: tuple[str, ...] = ()

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not has_role(request.user, *self.required_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
