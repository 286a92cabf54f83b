"""Form widgets shared by the apps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from typing import Any

    from django.forms.renderers import BaseRenderer


class LimitedTextarea(forms.Textarea):
    """A textarea that states its maximum length in text right after the box, so the limit
    is visible without JavaScript; static/js/limits.js turns the note into a live counter
    ("123/5000"). The field's `max_length` (which Django copies into `maxlength`) is the
    limit, and the form refuses longer input with an error."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> str:
        html = super().render(name, value, attrs, renderer)
        final = {**self.attrs, **(attrs or {})}
        limit = final.get("maxlength")
        if not limit:
            return html
        note = _("最多 %(n)s 字") % {"n": limit}
        if final.get("id"):
            return format_html(
                '{}<small class="char-limit" id="{}-limit">{}</small>', html, final["id"], note
            )
        return format_html('{}<small class="char-limit">{}</small>', html, note)
