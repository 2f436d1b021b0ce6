"""Tabular files read for import: CSV in any of the encodings open data uses, line numbers
that match the file's, NUL bytes refused by row, ISO and French dates."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from typing import BinaryIO

from django.utils.translation import gettext as _

Source = str | os.PathLike | BinaryIO


class ImportFileError(Exception):
    """The file cannot be imported at all: unreadable, empty, or not the expected format."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("ligne %(line)s : %(message)s") % {"line": self.line, "message": self.message}


def _scan(raw: BinaryIO) -> tuple[str, bool]:
    """The file's encoding, and whether it holds a NUL byte anywhere.

    The encoding is UTF-8 (with or without BOM) when the whole file decodes as such, else
    Windows-1252: a file is one encoding or the other throughout, so a full validation pass
    is the only reliable test; it runs at disk speed, and finds NUL bytes on the way (rows
    are then checked one by one: PostgreSQL refuses NUL in text).
    """
    head = raw.read(3)
    bom = head == codecs.BOM_UTF8
    decoder = codecs.getincrementaldecoder("utf-8")()
    valid, has_nul = True, b"\x00" in head
    try:
        for chunk in chain([b"" if bom else head], iter(lambda: raw.read(1 << 20), b"")):
            has_nul = has_nul or b"\x00" in chunk
            if valid:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
        if valid:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                valid = False
    finally:
        raw.seek(0)
    if bom:
        return "utf-8-sig", has_nul
    return ("utf-8" if valid else "cp1252"), has_nul


class Table:
    """A CSV file opened for import: its header, then (line number, cells) per row."""

    def __init__(self, text: io.TextIOWrapper, encoding: str, has_nul: bool = False):
        self.encoding = encoding
        self.has_nul = has_nul
        # Rows refused while reading (a NUL character): the importer reports them with its own.
        self.errors: list[RowError] = []
        self.refused_rows: list[list[str]] = []
        first_line = text.readline()
        if not first_line.strip():
            raise ImportFileError(_("Le fichier est vide."))
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        self.header = [name.strip().lstrip("\ufeff") for name in next(csv.reader([first_line], delimiter=delimiter))]
        self._reader = csv.reader(text, delimiter=delimiter)

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        try:
            for row in reader:
                if not any(row):
                    continue
                # The header was read apart: add it so that numbers match the file's lines.
                if self.has_nul and any("\x00" in cell for cell in row):
                    self.errors.append(RowError(reader.line_num + 1, _("caractère nul dans la ligne : retirez-le.")))
                    self.refused_rows.append(row)
                    continue
                yield reader.line_num + 1, row
        except csv.Error as exc:
            raise ImportFileError(
                _("Fichier CSV mal formé (ligne %(line)s) : %(error)s") % {"line": reader.line_num + 1, "error": exc}
            ) from exc

    def index(self, required: list[str], optional: tuple[str, ...] = ()) -> dict[str, int]:
        """Map column names to positions (columns are read by name); report missing ones."""
        positions = {name: i for i, name in enumerate(self.header)}
        missing = [name for name in required if name not in positions]
        if missing:
            raise ImportFileError(
                _("En-tête inattendu (ligne 1) : colonne(s) manquante(s) %(missing)s.")
                % {"missing": ", ".join(f"« {name} »" for name in missing)}
            )
        return {name: positions[name] for name in [*required, *optional] if name in positions}


@contextmanager
def open_source(source: Source) -> Iterator[tuple[BinaryIO, bool]]:
    """(binary file, whether it was opened here) of a path or a binary file object; a file
    opened here is closed on exit, the caller's is left open."""
    if not isinstance(source, (str, os.PathLike)):
        yield source, False
        return
    try:
        raw = open(source, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise ImportFileError(_("Fichier illisible : %(error)s") % {"error": exc.strerror or exc}) from exc
    with raw:
        yield raw, True


@contextmanager
def open_table(source: Source) -> Iterator[Table]:
    """Open a CSV file given as a path or as a binary file object (left open)."""
    with open_source(source) as (raw, owned):
        text = None
        try:
            encoding, has_nul = _scan(raw)
            # Windows-1252 leaves five bytes undefined; such a file is Latin-1 anyway.
            errors = "replace" if encoding == "cp1252" else "strict"
            text = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")
            yield Table(text, encoding, has_nul)
        finally:
            if text is not None and not owned:
                text.detach()  # leave the caller's file object open


def parse_date(value: str) -> dt.date:
    """Read an ISO (AAAA-MM-JJ) or French (JJ/MM/AAAA) date; ValueError says which."""
    value = value.strip()
    try:
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        if len(value) == 10 and value[2] == "/" and value[5] == "/":
            return dt.date(int(value[6:]), int(value[3:5]), int(value[:2]))
    except ValueError:
        pass
    raise ValueError(value)
