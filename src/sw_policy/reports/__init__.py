"""A Report to the formats people and programs read: terminal table, JSON, JSON Lines, CSV, XLSX,
HTML and Markdown."""
