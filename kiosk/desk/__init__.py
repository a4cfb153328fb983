"""The counter desk (窓口端末): scan a slip, show the verified application, print its official
form, record its status, export it. Plain Python; the clerk's Kivy screen is kiosk/ui/desk.
See docs/desk.md.
"""

from kiosk.desk.card import MyNumber, MyNumberReader, PcscMyNumberReader
from kiosk.desk.errors import CODES, DeskError, DeskMessage, desk_error
from kiosk.desk.service import Desk, ExportResult, PrintResult
from kiosk.desk.view import DeskView, FieldView, Flag, ProcedureView

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
