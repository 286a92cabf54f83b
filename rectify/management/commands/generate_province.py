"""`python manage.py generate_province --scale {town,district,city,province} [--seed N]`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from rectify.province import SCALES, generate


class Command(BaseCommand):
    help = (
        "Generate a synthetic province (deterministic per seed, in bulk, idempotent): units, "
        "officers, self-check reports, leads, remediation items, audit events, counters."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="district")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale: str, seed: int, **options) -> None:
        def progress(message: str) -> None:
            self.stdout.write(message)
            self.stdout.flush()

        result = generate(seed, scale, progress)
        self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
