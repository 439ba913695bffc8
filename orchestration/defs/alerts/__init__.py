"""Alerts to the data engineers: an e-mail when a run fails."""
