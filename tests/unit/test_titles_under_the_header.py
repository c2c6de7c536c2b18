"""A row naming the header's columns again, under it: part of the header, never a record."""

from tests.data.ingest import samples
from xinyong.catalog.importers.header_row import names_the_headers_columns

HEADER = samples.OLD_PENALTY_FIELDS
TITLES = [samples.OLD_PENALTY_TITLES[name] for name in HEADER]


def test_the_titles_under_the_codes_and_the_codes_under_the_titles():
    assert names_the_headers_columns(HEADER, TITLES)
    assert names_the_headers_columns(TITLES, HEADER)
    assert names_the_headers_columns(["CF_XDR_MC", "CF_WSH"], ["行政相对人名称", "处罚决定书文号"])


def test_titles_under_other_columns_or_too_few_are_no_header():
    assert not names_the_headers_columns(HEADER, list(reversed(TITLES)))
    assert not names_the_headers_columns(["CF_XDR_MC", "CF_WSH"], ["行政相对人名称", ""])
    assert not names_the_headers_columns(
        ["CF_XDR_MC", "CF_WSH"], ["行政相对人名称", "杭处〔2026〕1号"]
    )


def test_a_record_with_cells_reading_as_titles_is_no_header():
    row = samples.penalty(1, BZ="备注", CF_YJ="处罚依据", CF_XDR_MC="行政相对人名称")
    assert not names_the_headers_columns(
        samples.PENALTY_FIELDS, samples.rows_of(samples.PENALTY_FIELDS, [row])[0]
    )
