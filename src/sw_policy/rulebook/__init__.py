"""Rule files to a validated rule tree: strict YAML, the condition language, the rule and source
models, loading, parameter overrides, jurisdictions and layering. Imports nothing above it."""
