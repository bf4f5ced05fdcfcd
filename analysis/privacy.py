"""Anonymity thresholds: no group smaller than these ever appears in any output."""

from __future__ import annotations

MIN_GROUP_SCORES = 5  # no score for a group smaller than this
MIN_GROUP_COMMENTS = 10  # no verbatim comment from a group smaller than this
