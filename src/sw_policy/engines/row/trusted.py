"""The row engine's name for the trusted Finding constructor, which now lives in
engines/trusted.py so the columnar engine builds its objects the same way."""

from __future__ import annotations

from sw_policy.engines.trusted import trusted_finding

__all__ = ["trusted_finding"]
