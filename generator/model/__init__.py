"""Model: the entity types, the registry of kinds, reference syntax and URL paths."""
