from __future__ import annotations

import random
from importlib import import_module

from django.core.management.base import BaseCommand

from rectify import figures
from rectify.demo import SEED, seed_organisation

APP_SEEDERS = ("selfcheck.demo", "leads.dev.demo", "remediation.dev.demo", "leadership.demo")


class Command(BaseCommand):
    help = "Load the demo province (idempotent, deterministic): units, officers, accounts, data."

    def handle(self, *args, **options) -> None:
        campaign, result = seed_organisation()
        if result.changed:
            self.stdout.write(
                f"demo province: {result.created_units} units, {result.created_officers} "
                f"officers, {result.created_users} accounts created"
            )
        else:
            self.stdout.write("demo province already present; nothing changed")
        for module_name in APP_SEEDERS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError:
                continue
            seeder = getattr(module, "seed_demo_data", None)
            if seeder is None:
                continue
            seeder(campaign=campaign, rng=random.Random(SEED))
            self.stdout.write(f"{module_name}: done")
        # The demo writes rows directly in places: the counters are recomputed from them.
        written = figures.rebuild(campaign=campaign)
        self.stdout.write(f"figures: {written} counters")
