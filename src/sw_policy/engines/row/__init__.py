"""The row engine: one record at a time, with full explanations (reference tree walk, compiled
closures, per-rule plans, rule selection)."""
