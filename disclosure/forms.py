"""The form of the explanation's inputs: last year's figures (万元, two decimals; stored in yuan) and the remarks."""

from django import forms

from domain.explanation import REMARKS, PreviousYear, ThreePublic
from domain.money import to_wan, wan_to_yuan
from web.forms import revision_field, wan_field

BASE = (("prev_total", "上年支出合计"), ("prev_basic", "上年基本支出"), ("prev_project", "上年项目支出"))
THREE_PUBLIC = (
    ("prev_abroad", "上年因公出国（境）费"),
    ("prev_vehicle_purchase", "上年公务用车购置费"),
    ("prev_vehicle_running", "上年公务用车运行维护费"),
    ("prev_reception", "上年公务接待费"),
)
MAX_REMARK = 2000


class ExplanationInputsForm(forms.Form):
    revision = revision_field()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, label in (*BASE, *THREE_PUBLIC):
            self.fields[key] = wan_field(label, required=False)
        for key, label in REMARKS.items():
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_REMARK,
                error_messages={"max_length": f"最多 {MAX_REMARK} 字（现有 %(show_value)d 字）。"},
                widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
            )

    def base_fields_bound(self):
        return [self[key] for key, _ in BASE]

    def three_public_fields_bound(self):
        return [self[key] for key, _ in THREE_PUBLIC]

    def remark_fields_bound(self):
        return [self[key] for key in REMARKS]

    def clean(self):
        cleaned = super().clean()
        for group, what in ((BASE, "上年支出合计、基本支出、项目支出"), (THREE_PUBLIC, "上年“三公”经费的四项")):
            given = [key for key, _ in group if cleaned.get(key) is not None]
            failed = [key for key, _ in group if key in self.errors]
            if given and len(given) + len(failed) < len(group):
                raise forms.ValidationError(f"{what}要么都填写，要么都不填。")
        three = [cleaned.get(key) for key, _ in THREE_PUBLIC]
        if any(value is not None for value in three) and cleaned.get("prev_total") is None and not self.errors:
            raise forms.ValidationError("填写上年“三公”经费时，请同时填写上年支出合计、基本支出和项目支出。")
        total, basic, project = (cleaned.get(key) for key, _ in BASE)
        if None not in (total, basic, project) and basic + project > total:
            raise forms.ValidationError(
                f"上年基本支出（{basic:.2f}万元）与项目支出（{project:.2f}万元）之和大于支出合计（{total:.2f}万元）。"
            )
        return cleaned

    @classmethod
    def for_budget(
        cls, previous: PreviousYear | None, remarks: dict[str, str], revision: int
    ) -> "ExplanationInputsForm":
        initial: dict[str, object] = {"revision": revision, **remarks}
        if previous is not None:
            initial |= {
                "prev_total": to_wan(previous.total),
                "prev_basic": to_wan(previous.basic),
                "prev_project": to_wan(previous.project),
            }
            if previous.three_public is not None:
                items = previous.three_public
                initial |= {
                    "prev_abroad": to_wan(items.abroad),
                    "prev_vehicle_purchase": to_wan(items.vehicle_purchase),
                    "prev_vehicle_running": to_wan(items.vehicle_running),
                    "prev_reception": to_wan(items.reception),
                }
        return cls(initial=initial)

    def previous(self, year: int) -> PreviousYear | None:
        """Last year's figures in yuan (only once valid); None when left empty."""
        data = self.cleaned_data
        if data.get("prev_total") is None:
            return None
        three = [data.get(key) for key, _ in THREE_PUBLIC]
        items = ThreePublic(*(wan_to_yuan(value) for value in three)) if None not in three else None
        total, basic, project = (wan_to_yuan(data[key]) for key, _ in BASE)
        return PreviousYear(year, total, basic, project, items, "entered")

    def remarks(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") or "" for key in REMARKS}
