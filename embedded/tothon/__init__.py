"""Tothon embedded: all four services in one process, for pilots, demos, laptops and fast tests."""
