"""Shared presentation: plots reused across lessons (maps of cities and flows, ...)."""
