"""manage.py rebuild_month_figures: count every cell's every month again for the
statistics (oversight/month_figures.py), after meetings were loaded in bulk."""

from django.core.management.base import BaseCommand

from oversight import month_figures


class Command(BaseCommand):
    help = (
        "Count again the statistics' figures of every cell's month from the meetings and "
        "reviews (they are kept as minutes change; run this after loading meetings in bulk)."
    )

    def handle(self, *args, **options):
        rows = month_figures.rebuild()
        self.stdout.write(f"Counted {rows} months of cells.")
