"""Documents: context building, DOCX rendering, French formatting, PDF conversion and filing
packets."""
