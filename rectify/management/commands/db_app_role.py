from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

SQL_FILE = Path(settings.BASE_DIR) / "deploy" / "postgres" / "app_role.sql"


class Command(BaseCommand):
    help = (
        "As the schema owner: create or update the application's database role (INSERT and "
        "SELECT only on the audit table) from deploy/postgres/app_role.sql. PostgreSQL only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--role",
            default=os.environ.get("APP_DB_ROLE", "rectify_app"),
            help="role name (default: $APP_DB_ROLE or rectify_app)",
        )
        parser.add_argument(
            "--password-env",
            default="APP_DB_PASSWORD",
            help="environment variable holding the role's password (never on the command line)",
        )

    def handle(self, *args, role: str, password_env: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("db_app_role needs PostgreSQL")
        password = os.environ.get(password_env, "")
        with transaction.atomic(), connection.cursor() as cursor:
            # Parameters, not string formatting: the SQL file reads them with current_setting.
            cursor.execute("SELECT set_config('rectify.app_role', %s, true)", [role])
            cursor.execute("SELECT set_config('rectify.app_password', %s, true)", [password])
            cursor.execute(SQL_FILE.read_text(encoding="utf-8"))
        self.stdout.write(f"database role {role}: INSERT and SELECT only on the audit table")
