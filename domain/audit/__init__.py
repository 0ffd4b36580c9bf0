"""Audit rules (审核规则): plain functions over the official tables as printed, each naming its cell."""
