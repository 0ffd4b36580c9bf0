"""The fixed vocabularies of a department budget."""

from domain.catalogue import CatalogKind
from domain.choices import TextChoices


class Kind(TextChoices):
    """Expenditure kind (支出类型): the columns of 部门预算支出总表."""

    BASIC = "basic", "基本支出"
    PROJECT = "project", "项目支出"
    OPERATING = "operating", "经营支出"
    REMIT = "remit", "上解上级支出"  # the word of the official 支出总表
    SUBSIDY = "subsidy", "对附属单位补助支出"


class Source(TextChoices):
    """Source of funds (资金来源): the income rows of 部门预算收支总表, in their official order."""

    GENERAL = "general", "一般公共预算拨款"
    GOVFUND = "govfund", "政府性基金预算拨款"
    STATECAP = "statecap", "国有资本经营预算拨款"
    SPECIAL = "special", "财政专户管理资金"
    BUSINESS = "business", "事业收入"
    OPERATING = "operating", "事业单位经营收入"
    SUPERIOR = "superior", "上级补助收入"
    AFFILIATE = "affiliate", "附属单位上缴收入"
    OTHER = "other", "其他收入"


# Money appropriated by the finance bureau (财政拨款), in the order of the fund-type columns.
FISCAL_SOURCES: tuple[Source, ...] = (Source.GENERAL, Source.GOVFUND, Source.STATECAP)

# Appropriated money pays only for basic and project expenditure: tables 5, 7 and 8 have no other columns.
FISCAL_KINDS: tuple[Kind, ...] = (Kind.BASIC, Kind.PROJECT)

# Economic classes counted as 人员经费 in table 6; every other class of basic expenditure is 公用经费.
PERSONNEL_ECONOMIC_CLASSES: frozenset[str] = frozenset({"301", "303"})

# The "three public expenses" (三公经费) by economic 款 code.
ECONOMIC_TRAVEL_ABROAD = "30212"  # 因公出国（境）费用
ECONOMIC_RECEPTION = "30217"  # 公务接待费
ECONOMIC_VEHICLE_RUNNING = "30231"  # 公务用车运行维护费
ECONOMIC_VEHICLE_PURCHASE: frozenset[str] = frozenset({"31013", "30913"})  # 公务用车购置 (资本性 / 基本建设)

FUNCTION_CODE_WIDTHS: tuple[int, ...] = CatalogKind.FUNCTION.widths  # 类 / 款 / 项
ECONOMIC_CODE_WIDTHS: tuple[int, ...] = CatalogKind.ECONOMIC.widths  # 类 / 款
