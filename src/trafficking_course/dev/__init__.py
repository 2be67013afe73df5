"""Maintainers' tools that learners never import: the notebook runner and cleaner, benchmarks,
and the course checks the tests use."""
