# The CSV export plumbing lives in core; kept importable from here.
from core.csv_export import CSVExportMixin, cell_text

__all__ = ["CSVExportMixin", "cell_text"]
