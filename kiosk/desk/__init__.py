"""The counter desk (窓口端末): scan a slip, show the verified application, print its official
form, record its status, export it. Plain Python; the clerk's Kivy screen is kiosk/ui/desk.
See docs/desk.md.
"""

from kiosk.desk import access, errors, file_errors, signed
from kiosk.desk.card import MyNumber, MyNumberReader, PcscMyNumberReader
from kiosk.desk.errors import DeskError, DeskMessage, desk_error
from kiosk.desk.service import Desk, ExportResult, PrintResult
from kiosk.desk.view import DeskView, FieldView, Flag, ProcedureView

# Every code a clerk may meet, for docs/desk.md.
CODES: tuple[str, ...] = (*errors.CODES, file_errors.FileTooLarge.code, *signed.CODES,
                          *access.CODES)

__all__ = [
    "CODES",
    "Desk",
    "DeskError",
    "DeskMessage",
    "DeskView",
    "ExportResult",
    "FieldView",
    "Flag",
    "MyNumber",
    "MyNumberReader",
    "PcscMyNumberReader",
    "PrintResult",
    "ProcedureView",
    "desk_error",
]
