"""`congvu backup FILE`: the database and the uploaded files in one tar.gz (see congvu.core.backup)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp đính kèm vào một tệp .tar.gz (khôi phục bằng `congvu restore`)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        from congvu.core.backup import BackupError, backup_create

        try:
            manifest = backup_create(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã sao lưu: {file} ({manifest['vendor']}, {len(manifest['media'])} tệp đính kèm)")
