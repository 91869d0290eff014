"""Tests of the models engines and kinds (MML chapters 8-12)."""
