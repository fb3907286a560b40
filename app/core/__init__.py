"""Shared pieces: errors, htmx helpers, i18n, security headers, embedded services."""
