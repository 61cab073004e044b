"""Read every sheet of a workbook with openpyxl and print it as JSON.

Used by clients_test.go: openpyxl is an independent reader of the files
counsel opens, so a workbook it reads differently from excelize is caught.
"""
import datetime
import json
import sys

import openpyxl


def cell(v):
    if isinstance(v, (datetime.datetime, datetime.date)):
        return v.isoformat()
    return v


wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=False)
out = {}
for ws in wb.worksheets:
    out[ws.title] = [[cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
json.dump(out, sys.stdout)
