"""`make bench`: speed figures measured on the embedded setup, printed and written to var/bench.json."""
