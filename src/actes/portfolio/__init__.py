"""Portfolios: many cases at once (CSV exports, folders of cases, batches)."""
