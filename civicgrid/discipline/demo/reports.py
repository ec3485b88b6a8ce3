"""Demo: the bodies, their roster and a year of reports."""
