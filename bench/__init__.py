"""The benchmark behind ``manage.py bench`` (issue 9): synthetic budgets in a throw-away database, then timings
and query counts of the operations that must stay fast, next to two anchors (XlsxWriter alone, and
django-import-export's flat export).

- ``database``: the throw-away database (never the configured one);
- ``data``: the synthetic data (the example 202, or the large department) and its copies;
- ``anchors``: the XlsxWriter floor and the import-export anchor;
- ``measure``: timing, query counting and peak memory;
- ``large``: the large department (a demo spec on a synthetic catalogue of its own year);
- ``run``: the measurements in order; ``report``: their table.

Results, method and the targets: docs/performance.md.
"""
