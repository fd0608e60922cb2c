"""Editor tools: JSON Schema, scaffolds for new files, the editing guide page."""
