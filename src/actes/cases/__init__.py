"""Case files: loading, JSON Schema and business-rule validation, safe concurrent writes, pièce
checks."""
