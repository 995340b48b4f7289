"""The official list of administrative units, shipped as data files and imported as events."""
