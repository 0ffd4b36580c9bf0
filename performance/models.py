"""Performance targets (绩效目标) of departments and projects: see the performance-targets issue."""
