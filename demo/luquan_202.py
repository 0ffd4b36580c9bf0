"""202 中共石家庄市鹿泉区委办公室, 2021: the published example (../shared/seed), figure for figure.

The published tables are marginals; this is one joint that reproduces every one of them (docs/design.md):
- basic expenditure by economic 款 is table 6; its functional split follows the cross-classification pairs
  (30108 → 2080505, 30110 → 2101101, 30113 → 2210201), 行政单位离退休 2080501 takes 21.04 of the 303 items
  and 行政运行 2013101 the rest;
- the 302 款 carry 130 yuan beyond their printed 万元 figures, so that 302 is 121.783 万元 exactly as the
  example's 类 row says, while each 款 still prints as published (the 尾差 of spec §5.1);
- project amounts follow the cost indicators of the twelve performance target tables where they give one,
  and fill each functional 项 of table 3 exactly.
"""

from pathlib import Path

from demo import targets_202 as performance_202
from demo.spec import DemoBudget, DemoLine, DemoProject, DemoUnit
from domain.classifications import Kind, Source

OFFICE, INFO_CENTRE = 0, 1
B, P = Kind.BASIC, Kind.PROJECT
G = Source.GENERAL

PROJECTS = (
    DemoProject("党代会经费", OFFICE),
    DemoProject("电子政务内网二期建设", OFFICE),
    DemoProject("会议接待费", OFFICE),
    DemoProject("报刊征订费", OFFICE),
    DemoProject("xxxx 工程二期建设", OFFICE),
    DemoProject("省委视联网视频调度系统", OFFICE),
    DemoProject("专项公用经费", OFFICE),
    DemoProject("宣传推介费", OFFICE),
    DemoProject("“市县乡”应急值守视频平台", OFFICE),
    DemoProject("信息中心网络设备维护及采购", INFO_CENTRE),
    DemoProject("因公出国", OFFICE),
    DemoProject("三创四建活动经费", OFFICE),
)

LINES = (
    # 基本支出 · 行政运行
    DemoLine(OFFICE, "2013101", "30101", B, G, "1088300.00"),
    DemoLine(OFFICE, "2013101", "30102", B, G, "1281700.00"),
    DemoLine(OFFICE, "2013101", "30103", B, G, "90700.00"),
    DemoLine(OFFICE, "2013101", "30107", B, G, "280700.00"),
    DemoLine(OFFICE, "2013101", "30112", B, G, "14100.00"),
    DemoLine(OFFICE, "2013101", "30199", B, G, "1135200.00"),
    DemoLine(OFFICE, "2013101", "30201", B, G, "214540.00"),
    DemoLine(OFFICE, "2013101", "30207", B, G, "156140.00"),
    DemoLine(OFFICE, "2013101", "30227", B, G, "394440.00"),
    DemoLine(OFFICE, "2013101", "30228", B, G, "29110.00"),
    DemoLine(OFFICE, "2013101", "30229", B, G, "27200.00"),
    DemoLine(OFFICE, "2013101", "30231", B, G, "189000.00"),
    DemoLine(OFFICE, "2013101", "30239", B, G, "192000.00"),
    DemoLine(OFFICE, "2013101", "30299", B, G, "15400.00"),
    DemoLine(OFFICE, "2013101", "30399", B, G, "41200.00"),
    # 基本支出 · 离退休、社保、医疗、住房
    DemoLine(OFFICE, "2080501", "30302", B, G, "64200.00"),
    DemoLine(OFFICE, "2080501", "30305", B, G, "49200.00"),
    DemoLine(OFFICE, "2080501", "30309", B, G, "600.00"),
    DemoLine(OFFICE, "2080501", "30399", B, G, "96400.00"),
    DemoLine(OFFICE, "2080505", "30108", B, G, "388300.00"),
    DemoLine(OFFICE, "2101101", "30110", B, G, "361600.00"),
    DemoLine(OFFICE, "2210201", "30113", B, G, "427400.00"),
    # 项目支出
    DemoLine(OFFICE, "2013101", "31007", P, G, "500000.00", project="电子政务内网二期建设"),
    DemoLine(INFO_CENTRE, "2013101", "30213", P, G, "300000.00", project="信息中心网络设备维护及采购"),
    DemoLine(OFFICE, "2013102", "30215", P, G, "200000.00", project="党代会经费"),
    DemoLine(OFFICE, "2013102", "30215", P, G, "100000.00", project="会议接待费"),
    DemoLine(OFFICE, "2013102", "30201", P, G, "20000.00", project="报刊征订费"),
    DemoLine(OFFICE, "2013102", "30216", P, G, "80000.00", project="专项公用经费"),
    DemoLine(OFFICE, "2013102", "30202", P, G, "100000.00", project="宣传推介费"),
    DemoLine(OFFICE, "2013102", "30227", P, G, "18000.00", project="“市县乡”应急值守视频平台"),
    DemoLine(OFFICE, "2013102", "30212", P, G, "75000.00", project="因公出国"),
    DemoLine(OFFICE, "2013102", "30202", P, G, "20000.00", project="三创四建活动经费"),
    DemoLine(OFFICE, "2013103", "30227", P, G, "45000.00", project="省委视联网视频调度系统"),
    DemoLine(OFFICE, "2013105", "31007", P, G, "500000.00", project="xxxx 工程二期建设"),
    DemoLine(INFO_CENTRE, "2013105", "31007", P, G, "387100.00", project="信息中心网络设备维护及采购"),
)

BUDGET = DemoBudget(
    department_code="202",
    department_name="中共石家庄市鹿泉区委办公室",
    year=2021,
    units=(
        DemoUnit("中共石家庄市鹿泉区委办公室本级", "行政", "正处（县）级", "财政拨款"),
        DemoUnit("中共石家庄市鹿泉区委信息中心", "事业", "正科级", "财政性资金基本保证"),
    ),
    projects=PROJECTS,
    lines=LINES,
    duties=(Path(__file__).parent / "duties_202.txt").read_text(encoding="utf-8").strip(),
    formal_round=True,
    performance=performance_202.CORRECTED,
)
