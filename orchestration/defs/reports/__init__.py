"""Scheduled email reports: a sensor finds what is due every minute, a job sends it (readside/delivery.py)."""
