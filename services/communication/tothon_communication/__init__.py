"""The communication service: announcements, delivery receipts and conversations."""
