"""318 石家庄市鹿泉区文化广电和旅游局, 2021: an invented budget that exercises what the example lacks.

事业收入 and 其他收入, a 政府性基金 appropriation, 上年结转 (fiscal and non-fiscal), 经营支出,
three units, non-zero 公务接待费 and 公务用车购置费, a 政府采购 plan and the fixed assets held.
"""

from datetime import date

from demo import targets_318 as performance_318
from demo.spec import DemoAsset, DemoBudget, DemoLine, DemoProcurement, DemoProject, DemoUnit
from domain.classifications import Kind, Source

BUREAU, LIBRARY, CENTRE = 0, 1, 2
B, P, OP = Kind.BASIC, Kind.PROJECT, Kind.OPERATING
G, FUND = Source.GENERAL, Source.GOVFUND
BUSINESS, OTHER, OPERATING = Source.BUSINESS, Source.OTHER, Source.OPERATING

PROJECTS = (
    DemoProject("文化惠民演出", CENTRE),
    DemoProject("图书馆图书购置", LIBRARY),
    DemoProject("公务用车购置", BUREAU),
    DemoProject("文化广场改造提升", BUREAU),
    DemoProject("非物质文化遗产保护", CENTRE),
    DemoProject("图书馆数字资源建设", LIBRARY),
)

LINES = (
    # 基本支出 · 局本级
    DemoLine(BUREAU, "2070101", "30101", B, G, "600000.00"),
    DemoLine(BUREAU, "2070101", "30102", B, G, "700000.00"),
    DemoLine(BUREAU, "2070101", "30107", B, G, "200000.00"),
    DemoLine(BUREAU, "2070101", "30201", B, G, "80000.00"),
    DemoLine(BUREAU, "2070101", "30217", B, G, "25000.00"),
    DemoLine(BUREAU, "2070101", "30228", B, G, "12000.00"),
    DemoLine(BUREAU, "2070101", "30231", B, G, "60000.00"),
    DemoLine(BUREAU, "2080505", "30108", B, G, "180000.00"),
    DemoLine(BUREAU, "2101101", "30110", B, G, "102000.00"),
    DemoLine(BUREAU, "2210201", "30113", B, G, "120000.00"),
    # 基本支出 · 图书馆
    DemoLine(LIBRARY, "2070104", "30101", B, G, "400000.00"),
    DemoLine(LIBRARY, "2070104", "30107", B, G, "150000.00"),
    DemoLine(LIBRARY, "2070104", "30201", B, G, "30000.00"),
    DemoLine(LIBRARY, "2070104", "30205", B, G, "15000.00"),
    DemoLine(LIBRARY, "2070104", "30206", B, G, "43000.00"),
    DemoLine(LIBRARY, "2070104", "30226", B, BUSINESS, "50000.00"),
    DemoLine(LIBRARY, "2080502", "30302", B, G, "120000.00"),
    DemoLine(LIBRARY, "2080505", "30108", B, G, "110000.00"),
    DemoLine(LIBRARY, "2101102", "30110", B, G, "48000.00"),
    DemoLine(LIBRARY, "2210201", "30113", B, G, "70000.00"),
    # 基本支出 · 文化馆
    DemoLine(CENTRE, "2070109", "30101", B, G, "300000.00"),
    DemoLine(CENTRE, "2070109", "30107", B, G, "100000.00"),
    DemoLine(CENTRE, "2070109", "30201", B, G, "20000.00"),
    DemoLine(CENTRE, "2070109", "30299", B, OTHER, "20000.00"),
    DemoLine(CENTRE, "2080505", "30108", B, G, "90000.00"),
    DemoLine(CENTRE, "2101102", "30110", B, G, "36000.00"),
    DemoLine(CENTRE, "2210201", "30113", B, G, "60000.00"),
    # 项目支出
    DemoLine(CENTRE, "2070108", "30227", P, G, "450000.00", project="文化惠民演出"),
    DemoLine(CENTRE, "2070108", "30227", P, BUSINESS, "80000.00", project="文化惠民演出"),
    DemoLine(LIBRARY, "2070104", "30218", P, G, "300000.00", project="图书馆图书购置"),
    DemoLine(LIBRARY, "2070104", "30218", P, OTHER, "20000.00", project="图书馆图书购置"),
    DemoLine(BUREAU, "2070199", "31013", P, G, "180000.00", project="公务用车购置"),
    DemoLine(BUREAU, "2120803", "31005", P, FUND, "1200000.00", project="文化广场改造提升"),
    DemoLine(CENTRE, "2070111", "30227", P, G, "150000.00", project="非物质文化遗产保护", carried_over=True),
    DemoLine(LIBRARY, "2070104", "31007", P, BUSINESS, "80000.00", project="图书馆数字资源建设", carried_over=True),
    # 经营支出
    DemoLine(LIBRARY, "2070104", "30299", OP, OPERATING, "30000.00"),
)

# 部门政府采购预算: each item within its project's budget (图书馆图书购置 32.00 万, 公务用车购置 18.00 万).
PROCUREMENT = (
    DemoProcurement("图书馆图书购置", "图书", "A050401", "批", "1", "300000.00", general="300000.00"),
    DemoProcurement("公务用车购置", "公务用车", "A020305", "辆", "1", "180000.00", general="180000.00"),
)

# 部门固定资产占用情况表, values in yuan, as of 31 December 2020.
ASSETS = (
    DemoAsset("房屋（处）", "1", "3260000.00"),
    DemoAsset("车辆（辆）", "2", "356800.00"),
    DemoAsset("办公设备（台、套）", "86", "412350.50"),
    DemoAsset("图书（万册）", "5.2", "1568000.00"),
)

BUDGET = DemoBudget(
    department_code="318",
    department_name="石家庄市鹿泉区文化广电和旅游局",
    year=2021,
    units=(
        DemoUnit("石家庄市鹿泉区文化广电和旅游局本级", "行政", "正科级", "财政拨款"),
        DemoUnit("石家庄市鹿泉区图书馆", "事业", "股级", "财政补助"),
        DemoUnit("石家庄市鹿泉区文化馆", "事业", "股级", "财政补助"),
    ),
    projects=PROJECTS,
    lines=LINES,
    procurement=PROCUREMENT,
    assets=ASSETS,
    assets_as_of=date(2020, 12, 31),
    duties="负责全区文化、广播电视、旅游和文物工作，组织实施文化惠民工程，管理公共图书馆、文化馆等公共文化服务设施。",
    performance=performance_318.PERFORMANCE,
)
