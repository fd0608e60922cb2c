"""Link and check: the Handbook built from every entity, cross-entity checks, the validation pipeline."""
