"""Record files to records: every reader (JSON, CSV on both paths, XLSX, Parquet), header and
value aliases, amounts, encodings, and records as columns for the columnar engine."""
