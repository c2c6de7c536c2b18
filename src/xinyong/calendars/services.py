"""Writes to the holiday calendar (R15): the official schedule and the credit office's files.

The State Council General Office publishes each November its notice on the next year's holiday
arrangements (国务院办公厅关于部分节假日安排的通知). The credit office loads it as a small file; a
load replaces the years it covers, marks them covered, and leaves one audit row (R14). A notice
may open in the last days of the year before (the 2019 and 2023 notices do): such days are merged
date by date into that year, which keeps its own notice and coverage (see ``split_years``).

A change of the calendar runs alone (``hold_for_a_change``): the deadlines it counts again are
those it sees committed, so the steps that count deadlines on the calendar are waited for, and
wait for it in turn (``listings.daily_job_lock``).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import reduce
from operator import or_
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xinyong.audit import services as audit
from xinyong.calendars import selectors
from xinyong.calendars.models import CalendarDay, CalendarYear
from xinyong.calendars.signals import calendar_changed
from xinyong.core.errors import XinyongError
from xinyong.core.workdays import NEXT_NOTICE_FROM_DECEMBER, describe_years
from xinyong.listings import daily_job_lock

SEED_SOURCE = "国务院办公厅关于{year}年部分节假日安排的通知（chinesecalendar）"
MAX_ERRORS_SHOWN = 20

HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKDAY
# What a transcribed notice may say in the kind column: the codes, the marks printed on Chinese
# calendars (休/班), and the words of the notices and of the admin.
_KINDS = {
    "holiday": HOLIDAY,
    "休": HOLIDAY,
    "节假日": HOLIDAY,
    "法定节假日/调休休息日": HOLIDAY,
    "workday": WORKDAY,
    "班": WORKDAY,
    "调休上班": WORKDAY,
    "调休上班日": WORKDAY,
}
_COLUMNS = {
    "date": "date",
    "日期": "date",
    "kind": "kind",
    "类型": "kind",
    "name": "name",
    "名称": "name",
    "节日": "name",
}
_SLASH_DATE = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_WEEKDAY_NAMES = "一二三四五六日"
_NAME_LENGTH = CalendarDay._meta.get_field("name").max_length or 64
_SOURCE_LENGTH = CalendarYear._meta.get_field("source").max_length or 255


@dataclasses.dataclass(frozen=True)
class CalendarRow:
    """One day of a schedule, with where it came from (a line number, for error messages)."""

    date: dt.date
    kind: str
    name: str = ""
    line: int = 0


@dataclasses.dataclass(frozen=True)
class LoadSummary:
    """What a load or a seed wrote."""

    years: tuple[int, ...]  # replaced and covered
    holidays: int
    workdays: int
    source: str
    merged: tuple[dt.date, ...] = ()  # days written into a neighbouring year, date by date

    def describe(self) -> str:
        merged = (
            f"，其中 {'、'.join(map(str, self.merged))} 逐日并入相邻年份（该年其余安排及覆盖不变）"
            if self.merged
            else ""
        )
        return (
            f"已载入 {describe_years(self.years)} 年放假安排：节假日 {self.holidays} 天，"
            f"调休上班日 {self.workdays} 天{merged}；来源：{self.source}"
        )


# -- the official schedule -------------------------------------------------------------------


def official_schedule() -> list[CalendarRow]:
    """Every day the chinesecalendar package lists (State Council notices 2004–2026), in Chinese."""
    import chinese_calendar
    from chinese_calendar.constants import Holiday

    def chinese(name: str | None) -> str:
        try:
            return str(Holiday(name).chinese)
        except ValueError:
            return name or ""

    rows = [CalendarRow(d, HOLIDAY, chinese(n)) for d, n in chinese_calendar.holidays.items()]
    rows += [CalendarRow(d, WORKDAY, chinese(n)) for d, n in chinese_calendar.workdays.items()]
    return sorted(rows, key=lambda row: row.date)


def seed_from_chinesecalendar(*, actor: Any = None, reason: str = "") -> LoadSummary:
    """(Re)write the official schedule for every year chinesecalendar covers; idempotent.

    Migration 0002 does the same on a new database; this restores it on a running one.
    """
    rows = official_schedule()
    years = sorted({row.date.year for row in rows})
    sources = {year: SEED_SOURCE.format(year=year) for year in years}
    return _replace_years(
        rows,
        sources,
        "chinesecalendar（国务院办公厅部分节假日安排的通知）",
        actor=actor,
        action="calendar.seed",
        reason=reason,
        after={"package": "chinesecalendar"},
    )


# -- files from the credit office ------------------------------------------------------------


def load_calendar_file(
    path: str | Path, *, source: str | None = None, actor: Any = None, reason: str = ""
) -> LoadSummary:
    """Load a holiday notice transcribed as CSV (or JSON); the years it covers become covered (R15).

    CSV, UTF-8 or GB18030, header ``date,kind,name``; kind is ``holiday`` / ``workday`` (also 休 /
    班, 节假日 / 调休上班). Each year the file covers replaces that year's days; the New Year days
    it gives of a neighbouring year (the 2023 notice's 2022-12-31, the 2019 notice's 2018-12-29 to
    31) replace those dates only (``split_years``). One transaction with one audit row; any bad
    row refuses the whole file, naming its line.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise XinyongError(
            "calendar-file-unreadable", f"无法读取文件 {path}：{exc.strerror}"
        ) from exc
    source = (source or path.name).strip()
    if not source or len(source) > _SOURCE_LENGTH:
        raise XinyongError("calendar-source-invalid", f"来源不能为空，且不超过 {_SOURCE_LENGTH} 字")
    rows = parse_json(data) if path.suffix.lower() == ".json" else parse_csv(data)
    covered, _ = split_years(rows)
    return _replace_years(
        rows,
        dict.fromkeys(covered, source),
        source,
        actor=actor,
        action="calendar.load",
        reason=reason,
        after={"file": path.name, "sha256": hashlib.sha256(data).hexdigest()},
    )


def decode(data: bytes) -> str:
    """UTF-8 strictly first (a BOM is dropped), then GB18030 — never the reverse (DOMAIN §5)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise XinyongError(
            "calendar-file-encoding", "文件编码无法识别：应为 UTF-8 或 GB18030"
        ) from exc


def parse_csv(data: bytes) -> list[CalendarRow]:
    """The rows of a ``date,kind,name`` file; XinyongError naming every bad line."""
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    columns: dict[str, int] | None = None
    raw: list[tuple[int, str, str, str]] = []
    for record in reader:
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        if columns is None:
            columns = {_COLUMNS.get(c.lower(), ""): i for i, c in enumerate(cells)}
            if "date" not in columns or "kind" not in columns:
                raise XinyongError(
                    "calendar-file-header",
                    f"第 {reader.line_num} 行：表头应为 date,kind,name（日期,类型,名称）",
                )
            continue
        date_text, kind_text, name = (_cell(cells, columns, c) for c in ("date", "kind", "name"))
        raw.append((reader.line_num, date_text, kind_text, name))
    return _validate(raw, "第 {} 行")


def _cell(cells: list[str], columns: dict[str, int], column: str) -> str:
    index = columns.get(column)
    return cells[index] if index is not None and index < len(cells) else ""


def parse_json(data: bytes) -> list[CalendarRow]:
    """The same rows from a JSON list of ``{"date", "kind", "name"}`` objects."""
    try:
        items = json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise XinyongError("calendar-file-json", f"JSON 格式错误（第 {exc.lineno} 行）") from exc
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise XinyongError("calendar-file-json", "JSON 应为对象列表：[{date, kind, name}, …]")
    raw = [
        (
            i,
            str(item.get("date", "")).strip(),
            str(item.get("kind", "")).strip(),
            str(item.get("name") or "").strip(),
        )
        for i, item in enumerate(items, start=1)
    ]
    return _validate(raw, "第 {} 项")


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    match = _SLASH_DATE.fullmatch(text)  # 2027/1/1, as spreadsheets in Chinese locales write it
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            return None
    return None


def _validate(raw: Sequence[tuple[int, str, str, str]], where: str) -> list[CalendarRow]:
    """Check every row and report every error at once, so one pass fixes the whole file."""
    errors: list[str] = []
    rows: list[CalendarRow] = []
    seen: dict[dt.date, int] = {}
    for line, date_text, kind_text, name in raw:
        at = where.format(line)
        day = _parse_date(date_text)
        kind = _KINDS.get(kind_text.lower())
        if day is None:
            errors.append(f"{at}：日期无效“{date_text}”，应为 YYYY-MM-DD")
        if kind is None:
            errors.append(f"{at}：类型无效“{kind_text}”，应为 holiday/workday（休/班）")
        if len(name) > _NAME_LENGTH:
            errors.append(f"{at}：名称超过 {_NAME_LENGTH} 字")
        if day is None or kind is None:
            continue
        if day in seen:
            errors.append(f"{at}：日期 {day} 重复（{where.format(seen[day])}已有）")
            continue
        seen[day] = line
        if kind == WORKDAY and day.weekday() < 5:
            errors.append(
                f"{at}：{day} 是星期{_WEEKDAY_NAMES[day.weekday()]}，本来就是工作日，不是调休上班日"
            )
            continue
        rows.append(CalendarRow(day, kind, name, line))
    if not errors and not rows:
        errors.append("文件中没有日期行")
    if errors:
        shown = "；".join(errors[:MAX_ERRORS_SHOWN])
        more = (
            f"；另有 {len(errors) - MAX_ERRORS_SHOWN} 处错误"
            if len(errors) > MAX_ERRORS_SHOWN
            else ""
        )
        raise XinyongError("calendar-file-invalid", f"文件未载入：{shown}{more}", errors=errors)
    return rows


# -- which years a file covers ---------------------------------------------------------------

# A State Council notice for year Y may open in late December of Y−1: the 2019 notice gives
# 2018-12-30/31 off and has Saturday 2018-12-29 worked; the 2023 notice opens "元旦：2022年12月31日
# 至2023年1月2日放假调休" (the 2007, 2008 and 2012 notices did the same). Those days are Y's New
# Year bridge, not a notice for Y−1. Every New Year bridge of 2004–2026, with its worked weekend
# days, lies between Dec 29 and Jan 6; the windows below leave more than a week's margin, and
# end before Jan 17, the earliest adjusted day of a Spring Festival (2004), which belongs to its
# own year's notice.
SPILL_FROM_DECEMBER = NEXT_NOTICE_FROM_DECEMBER  # Dec 15–31 of Y−1 spill over from Y's notice
SPILL_UNTIL_JANUARY = 15  # Jan 1–15 of Y+1 spill over from Y's notice (a transcription's overrun)


def _spills_towards(day: dt.date) -> int | None:
    """The neighbouring year whose New Year bridge ``day`` may belong to, if it is in a window."""
    if day.month == 12 and day.day >= SPILL_FROM_DECEMBER:
        return day.year + 1
    if day.month == 1 and day.day <= SPILL_UNTIL_JANUARY:
        return day.year - 1
    return None


def split_years(rows: Iterable[CalendarRow]) -> tuple[list[int], list[int]]:
    """The years a file covers (replaced whole), and those whose days it only merges (R15).

    A year with a day outside the spill windows is covered. A year whose days in the file all
    spill over from a neighbouring year the file covers is merged: its dates from the file
    replace what those dates held, its other days and its coverage stay as they were (a few
    December days are not that year's notice). A file with no covered year (a few days around
    one New Year) replaces every year it names, as a load always did.
    """
    days_by_year: dict[int, list[dt.date]] = {}
    for row in rows:
        days_by_year.setdefault(row.date.year, []).append(row.date)
    core = {y for y, days in days_by_year.items() if any(_spills_towards(d) is None for d in days)}
    merged = {
        year
        for year, days in days_by_year.items()
        if year not in core and all(_spills_towards(day) in core for day in days)
    }
    return sorted(days_by_year.keys() - merged), sorted(merged)


# -- the shared write ------------------------------------------------------------------------


def _year_span(year: int) -> Q:
    return Q(date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31))


@transaction.atomic
def _replace_years(
    rows: Sequence[CalendarRow],
    sources: dict[int, str],
    source: str,
    *,
    actor: Any,
    action: str,
    reason: str,
    after: dict[str, Any],
) -> LoadSummary:
    """Replace the years in ``sources`` with their rows and mark them covered; rows of any other
    year are merged date by date, that year's other days and coverage untouched (R15).

    Bulk writes and one audit row: ``before`` holds each replaced year's source and day count and,
    under ``merged``, what each merged date held (None: an ordinary day); ``after`` the years
    replaced and, under ``merged``, what each merged date holds now.
    """
    hold_for_a_change()  # first, before any row and the audit row
    years = sorted(sources)
    merging = [row for row in rows if row.date.year not in sources]
    before = _replaced_before(years)
    if merging:
        before["merged"] = _merged_before(merging)
    _write_days(rows, years, [row.date for row in merging])
    CalendarYear.objects.filter(year__in=years).delete()
    CalendarYear.objects.bulk_create([CalendarYear(year=y, source=sources[y]) for y in years])
    summary = LoadSummary(
        years=tuple(years),
        holidays=sum(row.kind == HOLIDAY for row in rows),
        workdays=sum(row.kind == WORKDAY for row in rows),
        source=source,
        merged=tuple(sorted(row.date for row in merging)),
    )
    merged_now = _by_year({row.date: _held(row.kind, row.name) for row in merging})
    label = describe_years(years)
    audit.record(
        actor=actor,
        action=action,
        obj=("calendars.calendaryear", label if len(label) <= 64 else f"{years[0]}-{years[-1]}"),
        before=before or None,
        after={**after, **dataclasses.asdict(summary), "years": years, "merged": merged_now},
        reason=reason,
    )
    _invalidate_now_and_after_commit()
    # Merged years changed too: the recount must reach the deadlines that cross their days.
    changed = sorted({*years, *(row.date.year for row in merging)})
    calendar_changed.send(sender=CalendarYear, years=changed)
    return summary


def _write_days(rows: Sequence[CalendarRow], years: Sequence[int], merged: list[dt.date]) -> None:
    """Clear the replaced years and the merged dates, then write every row of the file."""
    targets = [_year_span(year) for year in years]
    if merged:
        targets.append(Q(date__in=merged))
    CalendarDay.objects.filter(reduce(or_, targets)).delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=row.date, kind=row.kind, name=row.name) for row in rows], batch_size=500
    )


def _replaced_before(years: Sequence[int]) -> dict[str, Any]:
    """Each replaced year's source and day count before the load, its coverage row locked."""
    locked = CalendarYear.objects.select_for_update().filter(year__in=years)
    previous = {covered.year: covered.source for covered in locked}
    in_years = reduce(or_, (_year_span(year) for year in years))
    old_days = Counter(
        d.year for d in CalendarDay.objects.filter(in_years).values_list("date", flat=True)
    )
    return {
        str(year): {"source": previous.get(year), "days": old_days[year]}
        for year in years
        if year in previous or old_days[year]
    }


def _merged_before(merging: Sequence[CalendarRow]) -> dict[str, Any]:
    """What each date about to be merged held, locked: its kind and name, or None."""
    dates = [row.date for row in merging]
    held = {
        day.date: _held(day.kind, day.name)
        for day in CalendarDay.objects.select_for_update().filter(date__in=dates)
    }
    return _by_year({day: held.get(day) for day in dates})


def _held(kind: str, name: str) -> dict[str, str]:
    return {"kind": str(kind), "name": name}


def _by_year(days: dict[dt.date, Any]) -> dict[str, dict[str, Any]]:
    """``{year: {date: value}}``, as the audit row shows merged dates."""
    grouped: dict[str, dict[str, Any]] = {}
    for day, value in sorted(days.items()):
        grouped.setdefault(str(day.year), {})[day.isoformat()] = value
    return grouped


def hold_for_a_change() -> None:
    """Hold the calendar for a change until the transaction ends (R15): wait for the steps
    under way that count a deadline on it, and make those starting wait for the change, which
    counts the running deadlines again once it is written (``listings.daily_job_lock``).

    Call it first in the change's transaction, before writing a day or an audit row: a step
    waiting for the audit chain's head, or for a row the change has written, while the change
    waits for the step, would be a deadlock. Taken again in the same transaction, it is held.
    """
    daily_job_lock.run_alone()


def note_days_edited(years: Iterable[int]) -> None:
    """Mark years edited in the admin (a day corrected, a year covered or uncovered) as changed.

    The cached calendar is keyed on a fingerprint that includes the latest ``loaded_at``; an edit
    that keeps the row counts (a holiday moved to another date) still changes it this way, for
    every process. Receivers then count running deadlines again, as after a file load (R15).
    Call it inside the edit's transaction, so that both commit or roll back together, having
    called ``hold_for_a_change`` first in that transaction; it is taken here again in any case,
    before the recount, so that no step under way is left out of it.
    """
    hold_for_a_change()
    years = sorted(set(years))
    CalendarYear.objects.filter(year__in=years).update(loaded_at=timezone.now())
    _invalidate_now_and_after_commit()
    calendar_changed.send(sender=CalendarYear, years=years)


def _invalidate_now_and_after_commit() -> None:
    selectors.invalidate_work_calendar()
    transaction.on_commit(selectors.invalidate_work_calendar)
