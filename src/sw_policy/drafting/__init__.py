"""Tools for people who write rules: lint, contradictions, the catalogue, impact of a change, JSON
Schema, and the YAML rule-test runner with coverage and boundary probes."""
