-- Dagster keeps its run, event and schedule storage in a database of its own.
create database dagster owner warehouse;
