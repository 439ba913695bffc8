"""The operational schema `app`: observable source assets, the source quality gate, their observation schedule."""
