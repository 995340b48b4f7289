"""Tothon's common library, shared by every service."""
