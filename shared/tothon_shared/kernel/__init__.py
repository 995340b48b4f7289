"""Small types every layer uses: safe text, identifiers, instants, today's date in Vietnam."""
