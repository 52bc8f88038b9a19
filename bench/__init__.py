"""Benchmarks: not part of the test suite; `make bench` runs them and prints the numbers for bench/README.md."""
