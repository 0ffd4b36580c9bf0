"""The fixed framework of indicators (指标体系): each 一级指标 and its 二级指标, in their official order."""

OUTPUT, BENEFIT, SATISFACTION = "产出指标", "效益指标", "满意度指标"
COST = "成本指标"

FRAMEWORK: dict[str, tuple[str, ...]] = {
    OUTPUT: ("数量指标", "质量指标", "时效指标", COST),
    BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    SATISFACTION: ("服务对象满意度指标",),
}

LEVEL1: tuple[str, ...] = tuple(FRAMEWORK)
PAIRS: tuple[tuple[str, str], ...] = tuple((one, two) for one, twos in FRAMEWORK.items() for two in twos)
ORDER: dict[tuple[str, str], int] = {pair: position for position, pair in enumerate(PAIRS)}

# The units offered when an indicator value is entered (any other unit may still be typed).
UNITS: tuple[str, ...] = (
    "%", "个", "次", "场", "份", "人", "人次", "家", "台", "套", "册", "篇", "条", "项", "辆", "处", "天", "月", "年",
    "元", "万", "万元", "平方米", "公里",
)  # fmt: skip
COMPARATORS: tuple[str, ...] = ("≥", "≤", "=", ">", "<")
