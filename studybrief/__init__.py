"""studybrief: turn lessons learned from study-trip articles into Word and PDF study briefs."""

__version__ = "0.1.0"
