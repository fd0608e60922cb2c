"""Test suite of the role handbook generator."""
