import csv
import io

from rest_framework import renderers


class CSVRenderer(renderers.BaseRenderer):
    """CSV that a French spreadsheet opens as is: UTF-8 with BOM, ";" separated.

    Expects ``{"header": [...], "rows": [[...], ...]}`` (see ``backend.views.CSVExportMixin``).
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        if isinstance(data, dict) and "rows" in data:
            writer.writerow(data["header"])
            writer.writerows(data["rows"])
        else:  # an error body: keep it readable
            writer.writerow(["erreur"])
            writer.writerow([str(data)])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
