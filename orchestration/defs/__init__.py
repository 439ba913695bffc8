"""Dagster definitions, one folder per domain, each with the same file names."""
