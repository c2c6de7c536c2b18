"""``xinyong measures load FILE``: load the measures list (措施清单) from CSV or Excel (R10).

Prints what the load did: created, updated and unchanged measures, and without ``--replace`` the
active measures the file leaves out, which stay in force. A file with bad rows is not loaded at
all; every bad row is listed and the command exits with status 1.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xinyong.core.errors import XinyongError
from xinyong.measures.loading import load_measures_file


class Command(BaseCommand):
    help = "The measures list: load it from a CSV (UTF-8 or GB18030) or Excel file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load",
            help="create or update measures by code from a file; all rows or none",
            description="Columns: 序号, 编号, 事项 (the business scenario), 内容, 对象, 政策依据, "
            "实施层级, 实施频次, 类型 (激励/惩戒), 性质 (强制性/推荐性), 名单类别, 领域, 实施部门; "
            "with a 业务场景 column, 事项 is the measure's name, else 措施名称 or 内容 names it.",
        )
        load.add_argument("file", metavar="FILE")
        load.add_argument(
            "--replace",
            action="store_true",
            help="deactivate active measures not in the file (without it they stay active and "
            "the summary names them)",
        )
        load.add_argument("--reason", default="", help="why, for the audit trail")
        load.add_argument("--actor", default="cli", help="who, for the audit trail")

    def handle(self, *args, action: str, **options) -> None:
        try:
            summary = load_measures_file(
                options["file"], actor=options["actor"], replace=options["replace"],
                reason=options["reason"],
            )  # fmt: skip
        except XinyongError as exc:
            errors = exc.details.get("errors")
            if not isinstance(errors, list) or not errors:
                raise CommandError(str(exc)) from None
            lines = [f"{exc.code}: 文件未载入，共 {len(errors)} 处错误："]
            raise CommandError("\n".join(lines + [f"  {error}" for error in errors])) from None
        self.stdout.write(summary.describe())
        for label, codes in (("新增", summary.created), ("更新", summary.updated),
                             ("停用", summary.deactivated)):  # fmt: skip
            if codes:
                self.stdout.write(f"{label}：{', '.join(codes)}")
