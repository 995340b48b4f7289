"""The registry service: administrative units, households and residents."""
