import datetime as dt
import io

import pytest

from core.tabular import ImportFileError, open_table, parse_date
from officials.importers.base import normalize_insee_code

HEADER = "Code de la commune;Nom de l'élu;Date de naissance\n"
ROW = "13103;ÉTIENNE;08/09/1981\n"


def read(raw: bytes):
    with open_table(io.BytesIO(raw)) as table:
        return table.header, table.encoding, list(table)


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ((HEADER + ROW).encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + (HEADER + ROW).encode("utf-8"), "utf-8-sig"),
        ((HEADER + ROW).encode("cp1252"), "cp1252"),
        ((HEADER + ROW).encode("latin-1"), "cp1252"),
    ],
    ids=["utf8", "utf8-bom", "windows-1252", "latin-1"],
)
def test_it_reads_every_encoding_the_rne_has_used(raw, encoding):
    header, detected, rows = read(raw)
    assert detected == encoding
    assert header == ["Code de la commune", "Nom de l'élu", "Date de naissance"]
    assert rows == [(2, ["13103", "ÉTIENNE", "08/09/1981"])]


def test_it_detects_latin1_even_when_the_first_accent_comes_late():
    raw = (HEADER + "13103;MARTIN;01/01/1970\n" * 50_000 + ROW).encode("cp1252")
    _header, detected, rows = read(raw)
    assert detected == "cp1252"
    assert rows[-1] == (50_002, ["13103", "ÉTIENNE", "08/09/1981"])


def test_it_reads_comma_separated_files_and_numbers_lines_from_the_header():
    _header, _encoding, rows = read(b"TYPECOM,COM\nCOM,13001\n\nCOM,13004\n")
    assert rows == [(2, ["COM", "13001"]), (4, ["COM", "13004"])]


def test_an_empty_file_is_refused():
    with pytest.raises(ImportFileError, match="vide"):
        read(b"")


def test_a_missing_file_is_refused_with_the_reason(tmp_path):
    with pytest.raises(ImportFileError, match="illisible"), open_table(tmp_path / "absent.csv"):
        pass


def test_missing_columns_are_named():
    with open_table(io.BytesIO(HEADER.encode())) as table, pytest.raises(ImportFileError, match="« Code sexe »"):
        table.index(["Code de la commune", "Code sexe"])


@pytest.mark.parametrize(
    ("value", "expected"), [("2026-03-15", dt.date(2026, 3, 15)), ("15/03/2026", dt.date(2026, 3, 15))]
)
def test_it_parses_iso_and_french_dates(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2020", "2020-13-01", "15-03-2026", "hier", ""])
def test_it_refuses_dates_that_do_not_exist_or_have_another_format(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_it_restores_leading_zeros_of_insee_codes_but_keeps_corsican_codes():
    assert normalize_insee_code("1001") == "01001"
    assert normalize_insee_code("2a004") == "2A004"
    assert normalize_insee_code(" 13103 ") == "13103"


def test_a_row_with_a_nul_character_is_refused_with_its_line_and_the_others_are_read():
    raw = (HEADER + ROW + "13103;DUR\x00AND;01/01/1970\n" + ROW).encode("utf-8")
    with open_table(io.BytesIO(raw)) as table:
        rows = list(table)

    assert [line for line, _row in rows] == [2, 4]
    assert [str(error) for error in table.errors] == ["ligne 3 : caractère nul dans la ligne : retirez-le."]


def test_a_nul_character_after_the_first_chunk_is_found_in_a_windows_1252_file():
    raw = (HEADER + ROW * 80_000 + "13103;DUR\x00AND;01/01/1970\n").encode("cp1252")
    with open_table(io.BytesIO(raw)) as table:
        rows = list(table)

    assert table.encoding == "cp1252"
    assert len(rows) == 80_000
    assert [error.line for error in table.errors] == [80_002]
