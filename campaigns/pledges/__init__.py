"""Pledges: which list signed which measures of a pact, at which level."""
