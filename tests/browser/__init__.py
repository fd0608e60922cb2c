"""Acceptance tests in a real headless Chromium against the built sample site served on 127.0.0.1."""
