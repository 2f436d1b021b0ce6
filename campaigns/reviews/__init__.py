"""Reviews: cycles, assessments and their history, scoring scales, analytics, scorecards, the
CSV exchange and the digests of a cycle."""
