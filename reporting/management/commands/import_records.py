"""Import a filled upload template for an office: every row validated, all saved or none; errors listed."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import Role
from credit.models import Item, Office
from reporting.imports import RecordImporter, write_error_copy


class Command(BaseCommand):
    help = "导入填写好的上传模板（.xlsx）：逐行逐格校验，全部正确才保存，否则列出全部错误且不保存任何记录。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="填写好的上传模板 .xlsx")
        parser.add_argument("--item", type=int, required=True, help="事项编号 1–10")
        parser.add_argument("--office", required=True, help="报送处室代码")
        parser.add_argument("--user", help="以该填报员的名义导入（默认：该处室唯一的在职填报员）")
        parser.add_argument("--submit", action="store_true", help="导入后直接提交审核")
        parser.add_argument("--error-file", help="有错误时，把标注了错误单元格的副本写到此文件")

    def handle(self, *args, file, item, office, user, submit, error_file, **options):
        try:
            item_obj = Item.objects.get(no=item)
        except Item.DoesNotExist:
            raise CommandError(f"没有编号为 {item} 的事项。") from None
        try:
            office_obj = Office.objects.get(code=office)
        except Office.DoesNotExist:
            raise CommandError(f"没有代码为 {office} 的处室。") from None
        clerk = self._clerk(office_obj, user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}。")
        importer = RecordImporter(item=item_obj, office=office_obj, user=clerk, submit=submit)
        try:
            result = importer.run(path.read_bytes())
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        if result.message:
            raise CommandError(result.message)
        if result.errors:
            for error in result.errors:
                column = error.column or "（整行）"
                value = f"“{error.value}”" if error.value else ""
                self.stderr.write(f"第 {error.row} 行 {column} {value}：{error.reason}")
            if error_file:
                with open(error_file, "wb") as fh:
                    write_error_copy(fh, item=item_obj, rows=result.rows, errors=result.errors, read=result.read)
                self.stderr.write(f"已写出标注错误的副本：{error_file}")
            raise CommandError(f"共 {result.total_rows} 行，发现 {len(result.errors)} 处错误，未导入任何记录。")
        self.stdout.write(self.style.SUCCESS(f"已导入 {len(result.records)} 条“{item_obj.name}”记录。"))

    def _clerk(self, office, username):
        User = get_user_model()
        if username:
            try:
                return User.objects.get(username=username, is_active=True)
            except User.DoesNotExist:
                raise CommandError(f"没有在职用户 {username}。") from None
        clerks = list(User.objects.filter(role=Role.CLERK, is_active=True, offices=office)[:2])
        if len(clerks) != 1:
            raise CommandError("请用 --user 指定以哪位填报员的名义导入。")
        return clerks[0]
