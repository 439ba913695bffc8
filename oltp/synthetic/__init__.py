"""Synthetic business data for the operational schema: realistic, multi-tenant, deterministic and fast.

`generate` fills every table of `app` for several organizations (COPY, streamed per table, one transaction per
organization); `simulate` advances the business day by day, inserting new records and changing old ones.
"""
