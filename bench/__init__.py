"""Benchmarks that print ratios: ``python -m bench`` runs them all."""
