from domain.names import codes_by_name, short_unit_name, short_unit_names

CULTURE = "石家庄市鹿泉区文化广电和旅游局"


def test_a_unit_named_after_its_department_is_its_own_level() -> None:
    assert short_unit_name(CULTURE, f"{CULTURE}本级") == "本级"
    assert short_unit_name(CULTURE, CULTURE) == "本级"


def test_a_unit_loses_the_place_it_shares_with_its_department() -> None:
    assert short_unit_name(CULTURE, "石家庄市鹿泉区文化馆") == "文化馆"  # not "馆": the cut is after 区
    assert short_unit_name("中共石家庄市鹿泉区委办公室", "中共石家庄市鹿泉区委信息中心") == "信息中心"
    assert short_unit_name(CULTURE, "河北省图书馆") == "河北省图书馆"


def test_the_labels_are_numbered_and_never_shared() -> None:
    labels = short_unit_names("甲市乙区教育局", ["甲市乙区教育局本级", "甲市乙区第一中学", "甲市丙区第一中学"])
    assert labels == {
        "甲市乙区教育局本级": "1 本级",
        "甲市乙区第一中学": "2 第一中学",
        "甲市丙区第一中学": "3 丙区第一中学",
    }
    two = short_unit_names("甲市乙区教育局", ["甲市乙区第一中学", "甲市乙区教育局第一中学"])
    assert two == {"甲市乙区第一中学": "1 甲市乙区第一中学", "甲市乙区教育局第一中学": "2 甲市乙区教育局第一中学"}


def test_only_a_name_one_code_has_names_it() -> None:
    names = {"30201": "办公费", "2010101": "行政运行", "2013101": "行政运行"}
    assert codes_by_name(names) == {"办公费": "30201"}
