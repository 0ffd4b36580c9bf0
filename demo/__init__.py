"""Demo budgets: department 202 exactly as in the published 2021 example, and one that uses what it lacks."""
