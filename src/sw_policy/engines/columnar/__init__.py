"""The columnar engine: the same rule tree compiled to Polars expressions, whole columns at once."""
