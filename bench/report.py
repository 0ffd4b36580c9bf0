"""The benchmark's table for a terminal (Chinese text is two columns wide)."""

import unicodedata

from bench.run import SIZE_LABELS, BenchReport

HEADERS = ("测量项目", "中位数 ms", "查询数", "×XlsxWriter 下限", "×import-export", "说明")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _note(extra: dict[str, object]) -> str:
    notes = []
    if "cpu_median_ms" in extra:
        notes.append(f"进程 CPU 时间中位数 {extra['cpu_median_ms']} ms")
    if "ratio_read_floor" in extra:
        notes.append(f"{extra['ratio_read_floor']:.2f}×calamine 读取下限")
    if "per_department_ms" in extra:
        notes.append(f"每部门 {extra['per_department_ms']} ms")
    if "peak_memory_mb" in extra:
        notes.append(f"峰值内存 {extra['peak_memory_mb']} MB（tracemalloc）")
    if "max_rss_growth_mb" in extra:
        notes.append(f"RSS 峰值增长 {extra['max_rss_growth_mb']} MB")
    if "zip_mb" in extra:
        notes.append(f"zip {extra['zip_mb']} MB")
    return "，".join(notes)


def format_report(report: BenchReport) -> str:
    database = report.database
    machine = report.machine
    workbook = report.workbook
    lines = [
        f"数据库：{database['vendor']} {database['version']}（临时数据库 {database['name']}，运行结束已删除）",
        f"规模：{report.departments} 个部门，每个为{SIZE_LABELS[report.size]}（{report.size}）；"
        f"每项先预热一次，再取 {report.repeat} 次的中位数；生成数据用时 {report.setup_seconds:.1f} s，"
        "此后冻结堆（垃圾回收只处理测量中新建的对象，如 gunicorn 工作进程）",
        f"工作簿：{workbook.get('sheets')} 张表，{workbook.get('cells')} 次单元格写入，{workbook.get('kb')} KB，"
        f"{workbook.get('lines')} 条预算明细",
        f"机器：{machine['cpus']} 核，负载 {' '.join(map(str, machine['load_average']))}（开始）"
        f" → {' '.join(map(str, machine.get('load_average_after', [])))}（结束）；"
        f"Python {machine['python']}，Django {machine['django']}，DEBUG={int(bool(machine['debug']))}",
        "",
    ]
    rows = [HEADERS] + [
        (
            m.label,
            f"{m.median_ms:.1f}",
            str(m.queries),
            _ratio(m.ratio_floor),
            _ratio(m.ratio_import_export),
            _note(m.extra),
        )
        for m in report.measurements
    ]
    widths = [max(_width(row[column]) for row in rows) for column in range(len(HEADERS))]
    for index, row in enumerate(rows):
        cells = [_pad(cell, widths[col], right=0 < col < len(HEADERS) - 1) for col, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    for m in report.measurements:
        steps = m.extra.get("steps")
        if isinstance(steps, list):
            floor = m.extra.get("steps_read_floor_ms")
            lines += [
                "",
                f"{m.label}，各步骤（另跑 {report.repeat} 次、逐个函数计时的平均值；"
                f"×同时测得的 calamine 读取下限 {floor} ms）：",
            ]
            width = max(_width(str(step["step"])) for step in steps)
            for step in steps:
                ms, ratio = f"{step['ms']:.1f}", f"{step['ratio_read_floor']:.2f}×"
                lines.append(f"  {_pad(str(step['step']), width)}  {ms:>7} ms  {ratio:>7}")
    if report.targets:
        lines += ["", "目标（本机，按中位数；查询数按最多一次）："]
        for target in report.targets:
            what = target["what"]
            value = (
                f"{target['value']:.1f} ms"
                if what == "median_ms"
                else f"{target['value']} 次"
                if what == "queries"
                else f"{target['value']:.2f}×"
            )
            scope = "" if target["applies"] else f"；为{SIZE_LABELS[str(target['size'])]}而定，本次仅供参考"
            lines.append(f"  {target['target']}：{'达到' if target['met'] else '未达到'}（{value}{scope}）")
    return "\n".join(lines)
