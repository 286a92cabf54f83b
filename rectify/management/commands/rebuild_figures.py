from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify import figures


class Command(BaseCommand):
    help = (
        "Recompute every unit's maintained figures (rectify.figures) from the rows of the "
        "current campaign. --check compares what would be written with what is stored, "
        "writes nothing, and fails listing the differences."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="compare only; exit non-zero on a difference"
        )

    def handle(self, *args, **options) -> None:
        campaign = figures.current_campaign()
        if campaign is None:
            self.stdout.write("no current campaign: nothing to compute")
            return
        if options["check"]:
            want = figures.computed(campaign=campaign)
            have = figures.stored(campaign=campaign)
            diff = sorted(k for k in want.keys() | have.keys() if want.get(k) != have.get(k))
            if diff:
                for unit_id, key in diff[:200]:
                    self.stdout.write(
                        f"unit {unit_id} {key}: stored {have.get((unit_id, key), 0)}, "
                        f"computed {want.get((unit_id, key), 0)}"
                    )
                raise CommandError(f"{len(diff)} figures differ from the rows")
            stale = figures.stale_totals(campaign)
            if stale:
                for (unit_id, key), (stored, summed) in sorted(stale.items())[:200]:
                    self.stdout.write(
                        f"unit {unit_id} {key} (subtree): stored {stored}, summed {summed}"
                    )
                raise CommandError(f"{len(stale)} subtree totals differ from the counters")
            self.stdout.write(f"figures match the rows ({len(want)} counters)")
            return
        written = figures.rebuild(campaign=campaign)
        self.stdout.write(f"figures rebuilt: {written} counters")
