"""Excel number formats (rag/ingest/number_formats.py): a stored number written as the sheet
shows it, and a workbook whose cells carry such formats read through the .xlsx loader."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from hypothesis import given, settings, strategies as st

from rag.ingest.load import load_bytes
from rag.ingest.number_formats import BUILTIN, shown_number

ACCOUNTING = '_("$"* #,##0.00_);_("$"* \\(#,##0.00\\);_("$"* "-"??_);_(@_)'


@pytest.mark.parametrize("value,code,shown", [
    ("1200", '"$"#,##0.00', "$1,200.00"),
    ("-1200", "$#,##0.00_);($#,##0.00)", "($1,200.00)"),
    ("1234567.891", "#,##0", "1,234,568"),
    ("2.675", "0.00", "2.68"),  # half away from zero, on the 15 digits Excel keeps (the double is 2.67499...)
    ("0.125", "0%", "13%"),
    ("0.125", "0.0%", "12.5%"),
    ("1200", "[$€-407] #,##0.00", "€ 1,200.00"),
    ("1200", '#,##0.00 "EUR"', "1,200.00 EUR"),
    ("1500000", '0.0,,"M"', "1.5M"),
    ("12345", "0.00E+00", "1.23E+04"),
    ("1200", ACCOUNTING, "$ 1,200.00"),
    ("0", ACCOUNTING, "$ -"),
    ("-3", "0.00;[Red]-0.00", "-3.00"),
    ("-3", "[Red]0", "-3"),
    ("5", "0,000", "0,005"),
    ("1234.5", "General", "1234.5"),
    ("0.30000000000000004", "", "0.3"),
    ("45356", "d mmm yyyy", "2024-03-05"),
    ("0.3", "[h]:mm", "0.3"),  # a duration stays a number
    ("123456789", "000-00-0000", "123456789"),  # digits split by text: as General shows it
    ("0.5", "# ?/?", "0.5"),  # a fraction: as General shows it
    ("5", "[>100]0;0.0", "5"),  # a condition: as General shows it
    ("123", "@", "123"),
])
def test_a_number_is_written_as_its_format_shows_it(value, code, shown):
    assert shown_number(value, code, date1904=False) == shown


def test_the_builtin_formats_without_a_code_in_the_file():
    assert [shown_number("1234.5", BUILTIN[n], False) for n in (1, 2, 3, 4, 9, 10)] == [
        "1235", "1234.50", "1,235", "1,234.50", "123450%", "123450.00%"]


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True),
       st.text(alphabet='0#?,.%E+-$€";_*\\[]<>=/@ General dmyhs:()', max_size=30))
def test_any_number_in_any_format_code_is_text(number, code):
    assert isinstance(shown_number(repr(number), code, date1904=False), str)


def test_an_xlsx_file_shows_currency_thousands_percentages_and_decimals_as_the_sheet_does():
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Budget")
    sheet.write_row(0, 0, ["Item", "Cost", "Visitors", "Change", "Length"])
    sheet.write_row(1, 0, ["New pier"])
    for column, (value, code) in enumerate(((1200, '"$"#,##0.00'), (1234567, "#,##0"), (0.125, "0.0%"),
                                            (412.456, "0.00")), start=1):
        sheet.write_number(1, column, value, book.add_format({"num_format": code}))
    sheet.write_number(2, 1, -50, book.add_format({"num_format": 8}))  # built-in: #,##0.00_);[Red](#,##0.00)
    sheet.write_string(2, 0, "Refund")
    book.close()
    (doc,) = load_bytes(out.getvalue(), "budget.xlsx")
    assert doc.text == ("Budget\nItem: New pier | Cost: $1,200.00 | Visitors: 1,234,567 | Change: 12.5% | "
                        "Length: 412.46\nItem: Refund | Cost: (50.00)")
