"""Reads an xlsx file with openpyxl (an independent reader) and prints what a person would see, as JSON.

Usage: python3 read_xlsx.py FILE.xlsx
Prints {"sheets": [names], "rows": [[{"value": v, "format": number_format, "bold": b}, ...], ...], "widths": {letter: w}}.
Exit 3 when openpyxl is not installed, so that a test can skip with a clear message.
"""
import json
import sys

try:
    import openpyxl
except ImportError:
    print("openpyxl is not installed (python3 -m pip install openpyxl)", file=sys.stderr)
    sys.exit(3)

book = openpyxl.load_workbook(sys.argv[1])
sheet = book.worksheets[0]
rows = []
for row in sheet.iter_rows():
    cells = []
    for cell in row:
        value = cell.value
        if hasattr(value, "isoformat"):
            value = value.date().isoformat()
        cells.append({"value": value, "format": cell.number_format, "bold": bool(cell.font.b)})
    rows.append(cells)
widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
print(json.dumps({"sheets": book.sheetnames, "rows": rows, "widths": widths, "frozen": sheet.freeze_panes}, ensure_ascii=False))
