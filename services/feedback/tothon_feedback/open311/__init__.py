"""Open311 GeoReport v2: how other city systems see and file cases (``api/open311.py``)."""
