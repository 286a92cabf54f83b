"""`report_import`: how every import command ends, whatever the importer."""

from __future__ import annotations

import io

import pytest
from django.core.management.base import BaseCommand, CommandError

from rectify.excel import ImportResult, RowError, report_import


def _command() -> BaseCommand:
    return BaseCommand(stdout=io.StringIO(), stderr=io.StringIO())


def test_it_lists_errors_and_refuses():
    cmd = _command()
    error = RowError(sheet="表", row=3, column="姓名", value="", reason="必填")
    with pytest.raises(CommandError, match="1 处错误，未导入任何数据"):
        report_import(cmd, ImportResult(errors=[error]))
    assert "第3行" in cmd.stderr.getvalue()


def test_it_marks_a_dry_run_and_prints_the_summary():
    cmd = _command()
    report_import(cmd, ImportResult(dry_run=True))
    assert cmd.stdout.getvalue() == "（试运行，未保存）警告 0\n"
