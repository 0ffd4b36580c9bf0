"""Performance targets of demo budget 318 (not from a publication): one target table per project."""

from domain.performance.framework import BENEFIT, OUTPUT, SATISFACTION
from domain.performance.targets import DepartmentGoals, Indicator, Performance, SubGoal, TargetTable
from domain.performance.values import parse_value


def _table(project: str, goal: str, *rows: tuple[str, str, str, str, str]) -> TargetTable:
    return TargetTable(
        project,
        goal,
        tuple(
            Indicator(level1, level2, name, name, parse_value(value), basis)
            for level1, level2, name, value, basis in rows
        ),
    )


def _standard(project: str, goal: str, count: tuple[str, str], cost: str) -> TargetTable:
    return _table(
        project,
        goal,
        (OUTPUT, "数量指标", count[0], count[1], "工作计划"),
        (OUTPUT, "质量指标", "验收合格率", "≥95%", "行业标准"),
        (OUTPUT, "时效指标", "年内完成率", "100%", "工作计划"),
        (OUTPUT, "成本指标", "项目成本", cost, "预算安排"),
        (BENEFIT, "社会效益指标", "群众文化生活改善", "提高", "工作计划"),
        (BENEFIT, "可持续影响指标", "公共文化服务长效机制", "长期", "工作计划"),
        (SATISFACTION, "服务对象满意度指标", "群众满意度", "≥90%", "问卷调查"),
    )


PERFORMANCE = Performance(
    goals=DepartmentGoals(
        overall="完善公共文化服务体系，丰富群众文化生活，保护和传承文化遗产。",
        sub_goals=(
            SubGoal(
                "文化惠民演出",
                "全年组织文化惠民演出，丰富基层群众文化生活。",
                "全年演出不少于 60 场，群众满意度 90% 以上。",
            ),
            SubGoal("非物质文化遗产保护", "做好非物质文化遗产的保护与传承。", "完成 3 个项目的记录整理。"),
        ),
        measures="严格执行预算，按进度支付资金，开展绩效运行监控和自评。",
    ),
    targets=(
        _standard("文化惠民演出", "全年组织文化惠民演出，丰富基层群众文化生活。", ("演出场次", "≥60 场"), "53 万元"),
        _standard("图书馆图书购置", "补充馆藏图书，满足读者借阅需求。", ("购置图书数量", "≥8000 册"), "32 万元"),
        _standard("公务用车购置", "更新执法用车一辆，保障文化市场执法。", ("购置车辆数量", "1 辆"), "18 万元"),
        _standard(
            "文化广场改造提升", "改造提升文化广场，改善群众活动场所。", ("改造面积", "≥5000 平方米"), "≤120 万元"
        ),
        _standard("非物质文化遗产保护", "做好非物质文化遗产的保护与传承。", ("记录整理项目数量", "3 项"), "15 万元"),
        _standard("图书馆数字资源建设", "建设数字资源，提高数字阅读服务能力。", ("数字资源数量", "≥2 个"), "8 万元"),
    ),
)
