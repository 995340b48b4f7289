"""Bulk import of the household spreadsheets communes keep (CSV and XLSX)."""
