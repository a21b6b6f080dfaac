"""Records and a rule tree to findings: the row, columnar and stream engines, and what they share
(the wording derived from the tree)."""
