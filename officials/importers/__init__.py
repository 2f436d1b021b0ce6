"""Importers of French open data: INSEE COG communes, the RNE élus files, the town halls
of the public services directory and contours (GeoJSON).

Each importer is a plain function the management commands, the admin and the API
call alike. They validate a whole file before writing anything and write in one
transaction, so that a file is imported whole or not at all.
"""

from core.tabular import ImportFileError, RowError
from officials.importers.base import ImportReport, ImportRowsInvalid
from officials.importers.cog import import_cog
from officials.importers.contours import import_contours
from officials.importers.rne import import_rne
from officials.importers.townhalls import import_townhalls

__all__ = [
    "ImportFileError",
    "ImportReport",
    "ImportRowsInvalid",
    "RowError",
    "import_cog",
    "import_contours",
    "import_rne",
    "import_townhalls",
]
