"""The load benchmark with a baseline: ``python -m benchmarks.load`` (see __main__.py)."""
