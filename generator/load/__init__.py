"""Load: read YAML files safely with positions, and parse each into a typed entity or problems."""
