from django.core.management.base import BaseCommand

from jxc.core.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create the demo company, its branch and one user per role (idempotent)."

    def handle(self, *args, **options):
        created = load_demo()
        if created:
            self.stdout.write(self.style.SUCCESS("Demo data created: " + ", ".join(created)))
        else:
            self.stdout.write("Demo data already present; nothing changed.")
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<12} {role}")
