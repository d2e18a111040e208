"""The production-mode benchmarks compare the records of two runs row by row (issue 13).

A sign-in sheet's page holds a record per attendee: compared by page alone, every row but
the last was reported as differing (and the count stopped at ten).
"""

from __future__ import annotations

from benchmarks.bench_scale import count_differences, differences


def _row(name: str, page: int, officer: str, status: str = "verified") -> dict:
    return {"source_filename": name, "document_sha256": f"sha-{name}", "page": page,
            "officer_name": officer, "status": status}


SHEET = [_row("sheet.pdf", 1, n) for n in ("Ada Quist", "Bo Lind", "Cy Marr")]


def test_the_same_sheet_rows_are_no_difference():
    assert count_differences(SHEET, [dict(r) for r in SHEET]) == 0


def test_one_row_read_otherwise_is_one_difference_with_its_row_and_field():
    other = [dict(r) for r in SHEET]
    other[1]["status"] = "needs_review"
    assert count_differences(SHEET, other) == 1
    (diff,) = differences(SHEET, other)
    assert (diff["row"], diff["fields"]) == (1, {"status": ["verified", "needs_review"]})


def test_missing_and_extra_records_count_and_are_not_capped():
    many = [_row(f"c{i}.pdf", 1, "Ada Quist") for i in range(14)]
    assert count_differences(many, many[:2]) == 12
    assert len(differences(many, many[:2], limit=5)) == 5
    assert differences(SHEET[:2], SHEET)[0]["not_in_embedded_run"] is True
