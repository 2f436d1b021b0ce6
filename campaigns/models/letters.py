# Migrations 0004 and 0009 name the upload paths of letter files by this path.
from campaigns.letters.models import downloads_path, letter_pdf_path, reply_file_path

__all__ = ["downloads_path", "letter_pdf_path", "reply_file_path"]
