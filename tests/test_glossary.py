"""The glossary data file, its matching rules and its renderings."""
from __future__ import annotations

import re

import pytest

from mlbook import glossary

TERMS = glossary.load()
BY_EN = {t.en: t for t in TERMS}
CJK = re.compile(r"[\u4e00-\u9fff]")


def term(en: str) -> glossary.Term:
    return BY_EN[en]


def test_glossary_is_sorted_and_unique():
    names = [t.en.lower() for t in TERMS]
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    assert len({t.zh for t in TERMS}) == len(TERMS), "two concepts share one Chinese term"


def test_one_chinese_form_names_one_concept():
    """No Chinese form the text may use (zh or zh_alt) belongs to two entries."""
    owner: dict[str, str] = {}
    for t in TERMS:
        for form in t.chinese_forms():
            key = glossary.squeeze(form)
            assert owner.setdefault(key, t.en) == t.en, f"{form!r} is accepted for {owner[key]!r} and {t.en!r}"


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.en)
def test_every_entry_is_complete_and_bilingual(term):
    assert term.en_def.strip() and term.zh_def.strip()
    assert "\n" not in term.en_def.strip() and "\n" not in term.zh_def.strip()
    assert CJK.search(term.zh_def), f"the Chinese definition of {term.en!r} has no Chinese"
    assert not CJK.search(term.en_def), f"the English definition of {term.en!r} has Chinese in it"
    if term.qualified:
        assert term.en_alt, f"{term.en!r} is qualified, so only its en_alt forms are matched; it has none"
        for form in term.en_alt:
            assert term.english_pattern().search(form), form
    else:
        assert term.english_pattern().search(term.en)
    accepted = {glossary.squeeze(f) for f in term.chinese_forms()}
    for other, source in term.zh_other:
        assert other.strip() and source.strip()
        assert glossary.squeeze(other) not in accepted, \
            f"{other!r} is both accepted in the text and listed as another book's name for {term.en!r}"


def test_pattern_matches_plurals_and_hyphenation_but_not_substrings():
    assert term("gradient").english_pattern().search("the gradients of f")
    assert not term("gradient").english_pattern().search("a gradiently thing")
    assert term("learning rate").english_pattern().search("Learning-rate widget")


def test_acronyms_match_in_capitals_only():
    blue = term("best linear unbiased estimator")
    assert blue.used_in("OLS is BLUE under the Gauss–Markov conditions")
    assert blue.used_in("the best linear unbiased estimators")
    assert not blue.used_in("the fitted values (blue) and the residuals")
    assert not term("residual sum of squares").used_in("an rss feed")


def test_ignored_phrases_are_other_concepts():
    precision = term("precision")
    assert precision.used_in("precision and recall")
    assert not precision.used_in("to machine precision in single precision")
    assert not term("boosting").used_in("gradient boosting fits pseudo-residuals")
    assert not term("encoder").used_in("scikit-learn's one-hot encoder")


def test_a_qualified_entry_is_matched_by_its_alternates_only():
    parameter, statistics = term("bias (parameter)"), term("bias (statistics)")
    assert not parameter.used_in("the bias of the method") and not statistics.used_in("the bias of the method")
    assert parameter.used_in("the weights and biases of a layer")
    assert statistics.used_in("the squared bias grows")
    assert not statistics.used_in("the bias-variance trade-off")


def test_rl_bootstrapping_is_not_the_statistical_bootstrap():
    rl, stat = term("bootstrapping (reinforcement learning)"), term("bootstrap")
    assert rl.used_in("TD learning is bootstrapping") and not stat.used_in("TD learning is bootstrapping")
    assert stat.used_in("a bootstrap sample of the data") and not rl.used_in("a bootstrap sample of the data")
    assert not stat.used_in("TD methods bootstrap from the next estimate")
    assert not rl.translated_in("自助法") and not stat.translated_in("自举")


def test_chinese_matching_ignores_spacing_between_latin_and_chinese():
    assert term("softmax regression").translated_in("softmax回归")
    assert term("Kullback–Leibler divergence").translated_in("KL散度")
    assert term("precision-recall curve").translated_in("P-R曲线")
    assert term("k-fold cross-validation").translated_in("5 折交叉验证，即 k折交叉验证")


def test_chinese_matching_does_not_count_other_words():
    assert not term("epoch").translated_in("轮流分配到各折，再看轮廓系数")
    assert term("epoch").translated_in("训练 10 轮")
    assert not term("entropy").translated_in("交叉熵")
    assert not term("feature").translated_in("特征值与特征向量")
    assert not term("variance").translated_in("协方差矩阵")
    assert not term("boosting").translated_in("性能提升")  # the bare 提升 is no longer accepted


def test_other_books_names_are_shown_but_not_accepted():
    precision = term("precision")
    assert "查准率" in [o for o, _ in precision.zh_other] and not precision.translated_in("查准率")
    assert not term("inverted dropout").translated_in("反向暂退")
    assert term("inverted dropout").translated_in("倒置暂退法")
    assert term("decision stump").translated_in("树桩") and term("decision stump").zh == "决策树桩"
    assert term("indicator function").zh == "指示函数" and not term("indicator function").translated_in("示性函数")


def test_the_reviewed_collisions_stay_resolved():
    accepted = {f: t.en for t in TERMS for f in t.chinese_forms()}
    assert accepted["对数几率"] == "log-odds" and not term("logit").translated_in("对数几率向量")
    assert accepted["收缩"] == "shrinkage"
    assert "精度" not in accepted  # 精度 is never a metric: numerical precision only
    for name in ("accuracy", "precision"):
        assert "精度" in [o for o, _ in term(name).zh_other] and "精度" in term(name).zh_def
    assert accepted["特征向量"] == "eigenvector"
    for t in TERMS:  # 结点 for trees, 节点 for graphs
        if re.search(r"\b(tree|node|leaf|split)", t.en_def, re.I) and "graph" not in t.en_def:
            assert "节点" not in t.zh_def.replace("叶节点", ""), f"{t.en}: a tree's nodes are 结点"


def test_html_table_lists_every_term_with_its_other_names():
    html = glossary.to_html()
    assert html.count("<tr id=") == len(TERMS)
    assert "梯度下降" in html and "gradient descent" in html
    row = re.search(r'<tr id="term-precision">.*?</tr>', html).group(0)
    assert "查准率" in row and "周志华《机器学习》" in row and "《深度学习》" in row
    row = re.search(r'<tr id="term-decision-stump">.*?</tr>', html).group(0)
    assert "决策树桩" in row and 'class="glossary-alt"' in row and "树桩" in row


def test_load_refuses_malformed_entries(tmp_path, monkeypatch):
    bad = tmp_path / "glossary.yml"
    bad.write_text("- {en: x, zh: 甲, en_def: d, zh_def: 定义, zh_other: [乙]}\n", encoding="utf-8")

    class Files:
        def joinpath(self, name):
            return bad

    monkeypatch.setattr(glossary.resources, "files", lambda package: Files())
    with pytest.raises(ValueError, match="term and a source"):
        glossary.load()
    bad.write_text("- {en: x, zh: 甲, en_def: d, zh_def: 定义, zh_alts: [乙]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown fields"):
        glossary.load()
