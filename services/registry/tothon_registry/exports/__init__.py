"""Exports of the register as the spreadsheets communes keep."""
