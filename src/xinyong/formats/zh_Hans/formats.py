"""Dates on screen in ISO form, under zh-hans as everywhere else.

The office, the portal, the API and the CSV files write 2026-09-21 and 2026-09-21 14:30: they
sort and parse. Django's zh_Hans formats (2026年9月21日) would make the admin alone differ.
Documents handed to a subject still date as GB/T 9704-2012 asks (2026年9月21日): they are written
by ``core.document_dates``, never through these formats. Whatever is not set here (months, the
first day of the week, numbers) is Django's zh_Hans.
"""

DATE_FORMAT = "Y-m-d"  # 2026-09-21
DATETIME_FORMAT = "Y-m-d H:i"  # 2026-09-21 14:30
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"

# The first form is the one date fields are filled with; the others are still accepted.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
]
