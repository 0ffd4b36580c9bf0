"""Golden data: the published 2021 disclosure of department 202, the reference the product must reproduce.

``seed_2021_202.txt`` is a byte-identical copy of ``../shared/seed/000_ea18e6c05594a8a6.txt`` so that a fresh
clone can run the golden tests; ``seed.py`` reads its official tables.
"""
