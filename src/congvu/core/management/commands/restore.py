"""`congvu restore FILE`: replace the database and the uploaded files with a backup."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và tệp đính kèm từ bản sao lưu (thay thế dữ liệu hiện có)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="không hỏi xác nhận")

    def handle(self, *args, file: str, interactive: bool = True, **options):
        from congvu.core.backup import BackupError, backup_restore

        if interactive:
            answer = input("Khôi phục sẽ THAY THẾ toàn bộ dữ liệu và tệp đính kèm hiện có. Gõ 'yes' để tiếp tục: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Đã huỷ.")
        try:
            manifest = backup_restore(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã khôi phục từ {file} (sao lưu lúc {manifest['created_at']}, "
                          f"{len(manifest['media'])} tệp). Hãy chạy `congvu audit verify`.")
