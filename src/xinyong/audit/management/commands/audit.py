"""``xinyong audit``: the audit trail and the query registrations (R14).

- ``verify`` checks the audit trail's hash chain; exit 1 at the first broken row;
- ``queries`` lists query registrations and checks, filtered, as CSV or a table, to the console
  or a file (``-o``); ``--unusual`` keeps only the accounts flagged for unusual use and names
  them. The listing is itself registered, under the operating-system account that ran it.
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import sys
import unicodedata
from contextlib import ExitStack
from typing import TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xinyong.audit import purposes, query_review, services, unusual
from xinyong.audit.models import QueryKind, QueryPurpose
from xinyong.audit.selectors import verify_chain
from xinyong.core import clock
from xinyong.core.tables import spreadsheet_safe
from xinyong.subjects.models import Department, Subject
from xinyong.subjects.protection import require_the_data_key

TABLE_COLUMNS = (
    ("时间", 19), ("账号", 16), ("部门", 16), ("查询事由", 20), ("查询类型", 10), ("主体", 16),
    ("所填名称", 16), ("自然人数", 8), ("返回行数", 8), ("异常", 4),
)  # fmt: skip


def _date(text: str) -> dt.date:
    try:
        return clock.parse_date(text)
    except ValueError:
        raise CommandError(f"日期无效“{text}”，应为 YYYY-MM-DD，例如 2026-09-21") from None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(text: str, width: int) -> str:
    while _width(text) > width:
        text = text[:-1]
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "Audit trail and query registration tools."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="verify the hash chain; exit 1 at the first broken row")
        queries = sub.add_parser("queries", help="list query registrations and checks")
        queries.add_argument("--since", type=_date, help="first day, YYYY-MM-DD")
        queries.add_argument("--until", type=_date, help="last day, YYYY-MM-DD (included)")
        queries.add_argument("--department", default="", help="department code")
        queries.add_argument("--account", default="", help="account name")
        queries.add_argument("--purpose", default="", help="purpose code")
        queries.add_argument("--kind", default="", choices=["", *QueryKind.values])
        queries.add_argument("--subject", default="", help="a subject's code or citizen ID")
        queries.add_argument(
            "--unusual", action="store_true", help="only accounts flagged for unusual use"
        )
        queries.add_argument("--format", choices=["csv", "table"], default="table")
        queries.add_argument("-o", "--output", metavar="FILE", help="write there, not to stdout")

    def handle(self, *args, action: str, **options) -> None:
        if action == "queries":
            self._queries(options)
            return
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"audit chain broken at row {report.broken_seq}: {report.problem} "
                f"({report.rows} rows verified before it)"
            )
        self.stdout.write(f"audit chain intact: {report.rows} rows")

    def _filter(self, options: dict) -> query_review.QueryFilter:
        if (
            options["department"]
            and not Department.objects.filter(code=options["department"]).exists()
        ):
            raise CommandError(f"未知部门：{options['department']}")
        if options["purpose"] and not QueryPurpose.objects.filter(pk=options["purpose"]).exists():
            raise CommandError(f"未知查询事由：{options['purpose']}")
        subject_id = None
        if options["subject"]:
            require_the_data_key()  # another key would find no one, and say so as "none"
            found = Subject.objects.identified_by(options["subject"]).values_list("pk", flat=True)
            subject_id = found.first() or 0  # an unknown subject matches nothing
        return query_review.QueryFilter(
            since=options["since"], until=options["until"], department=options["department"],
            account=options["account"], purpose=options["purpose"], kind=options["kind"],
            subject_id=subject_id, unusual_only=options["unusual"],
        )  # fmt: skip

    def _queries(self, options: dict) -> None:
        wanted = self._filter(options)
        services.register_query(
            actor=f"console:{getpass.getuser()}", purpose=purposes.QUERY_REVIEW,
            kind=QueryKind.EXPORT, route="xinyong audit queries",
            natural_persons=query_review.persons_in(wanted),
            rows=query_review.count_rows(wanted), purpose_detail=" ".join(sys.argv[1:])[:500],
        )  # fmt: skip
        with ExitStack() as stack:
            out: TextIO = self.stdout
            if options["output"]:
                encoding = "utf-8-sig" if options["format"] == "csv" else "utf-8"
                out = stack.enter_context(
                    open(options["output"], "w", encoding=encoding, newline="")
                )
            if options["format"] == "csv":
                csv.writer(out, lineterminator="\n").writerows(
                    map(spreadsheet_safe, query_review.csv_lines(wanted))
                )
            else:
                self._table(out, wanted)

    def _table(self, out: TextIO, wanted: query_review.QueryFilter) -> None:
        flagged = unusual.flagged_accounts(wanted.since, wanted.until)
        if wanted.unusual_only:
            out.write(
                f"异常使用：{unusual.window().total_seconds() / 3600:g} 小时内查询自然人超过 "
                f"{unusual.limit()} 人（实施部门系统账号超过 {unusual.system_limit()} 人）的账号\n"
            )
            for account in flagged.values():
                reached = timezone.localtime(account.window_ends_at)
                out.write(f"  {account.actor}\t{account.persons}\t{reached:%Y-%m-%d %H:%M}"
                          f"\t{account.limit}\n")  # fmt: skip
            out.write("\n")
        out.write(" ".join(_cell(name, width) for name, width in TABLE_COLUMNS).rstrip() + "\n")
        for row in query_review.iter_rows(wanted, flagged):
            cells = (
                f"{timezone.localtime(row.at):%Y-%m-%d %H:%M:%S}", row.actor, row.department_name,
                row.purpose_name, row.kind_name, row.subject_shown, row.name_asked,
                str(row.natural_persons), str(row.rows), "是" if row.flagged else "",
            )  # fmt: skip
            line = " ".join(
                _cell(text, w) for text, (_, w) in zip(cells, TABLE_COLUMNS, strict=True)
            )
            out.write(line.rstrip() + "\n")
