"""The dbt warehouse (staging -> intermediate -> marts -> reporting) and its quality checks and automation."""
