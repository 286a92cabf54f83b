"""The problem-list import form (the file is read by remediation.services.list_import)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .items import UnitChoiceField

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import QuerySet

    from rectify.models import Unit


class ProblemListImportForm(forms.Form):
    unit = UnitChoiceField(
        label=_("导入范围（单位及其下级）"),
        queryset=None,
        empty_label=None,
        help_text=_("清单中的单位、责任单位和责任人在此范围内识别"),
    )
    file = forms.FileField(
        label=_("问题清单 Excel 文件（.xlsx）"),
        help_text=_("可直接上传各单位现用的清单：标题行、合并表头、合计和填报说明行均可识别"),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）")
            )
        if upload.size > settings.EXCEL_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("文件过大（上限 %(mb)s MB）")
                % {"mb": settings.EXCEL_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload
