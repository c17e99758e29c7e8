"""CSV and XLSX downloads of the student screens: the project's one helper, re-exported."""

from institutes.spreadsheets import XLSX_TYPE, spreadsheet_response

__all__ = ["XLSX_TYPE", "spreadsheet_response"]
