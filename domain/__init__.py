"""The budget's rules as plain functions over plain data: no database, no Django request."""
