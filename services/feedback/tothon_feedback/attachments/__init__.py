"""Photos and files of feedback cases: checked by content, cleaned, stored by their hash."""
