"""Benchmarks that check the product's own model and solve path against published optima."""
