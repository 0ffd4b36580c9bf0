"""The tables of the hebei-2021 edition, by name: the layout of the published example that the golden tests hold."""

from official.edition import edition

HEBEI_2021 = edition("hebei-2021")
OFFICIAL_TABLES = HEBEI_2021.tables
TABLES_BY_KEY = HEBEI_2021.by_key

SUMMARY = TABLES_BY_KEY["summary"]
INCOME = TABLES_BY_KEY["income"]
EXPENDITURE = TABLES_BY_KEY["expenditure"]
FISCAL_SUMMARY = TABLES_BY_KEY["fiscal-summary"]
GENERAL_APPROPRIATION = TABLES_BY_KEY["general-appropriation"]
BASIC_ECONOMIC = TABLES_BY_KEY["basic-economic"]
GOVFUND_APPROPRIATION = TABLES_BY_KEY["govfund-appropriation"]
STATECAP_APPROPRIATION = TABLES_BY_KEY["statecap-appropriation"]
THREE_PUBLIC = TABLES_BY_KEY["three-public"]
UNITS = TABLES_BY_KEY["units"]
PROCUREMENT = TABLES_BY_KEY["procurement"]
FIXED_ASSETS = TABLES_BY_KEY["fixed-assets"]
