"""The operational schema `app` as observable source assets."""
