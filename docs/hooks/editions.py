"""mkdocs hook: which sections of *Dive into Deep Learning* each page follows, in both editions.

d2l exists in two editions with different numbers: d2l-zh 2 (and the classic d2l-en 0.17 it
was translated from) puts linear and softmax regression together in chapter 3 and trains
with ``d2l.train_ch3``; d2l-en 1.0 (d2l.ai today) splits them into chapter 3 (regression) and
chapter 4 (classification) and trains with ``d2l.Module`` / ``d2l.Trainer``. This site's code
follows d2l-zh 2. ``EDITIONS`` is the one source: every page listed gets a line under its
title naming its sections in both editions, and the page ``editions.md`` gets the whole table
in place of the marker ``<!-- editions-table -->``.
"""

from __future__ import annotations

import posixpath

# page -> (English topic, Chinese topic, d2l-zh 2 / classic sections, d2l-en 1.0 sections)
EDITIONS: dict[str, tuple[str, str, str, str]] = {
    "concepts/graphs.md": ("Automatic differentiation; computational graphs",
                           "自动微分；计算图", "2.5; 4.7", "2.5; 5.3"),
    "concepts/trace.md": ("Forward and backward propagation", "前向传播与反向传播", "4.7", "5.3"),
    "concepts/tensors.md": ("Tensors and broadcasting", "张量与广播机制", "2.1.3", "2.1.4"),
    "concepts/linear-model.md": ("Linear regression as a network; minibatch SGD",
                                 "线性回归与神经网络；小批量随机梯度下降", "3.1.1–3.1.2, 3.1.4", "3.1.1–3.1.2, 3.1.4"),
    "walkthroughs/linear-regression.md": ("Linear regression from scratch and concise",
                                          "线性回归的从零开始实现与简洁实现", "3.2–3.3", "3.2–3.5"),
    "derivations/mse.md": ("The normal distribution and squared loss", "正态分布与平方损失", "3.1.3", "3.1.3"),
    "concepts/classification.md": ("Classification, one-hot labels, softmax, the loss",
                                   "分类问题、独热编码、softmax运算、损失函数", "3.4.1–3.4.6", "4.1.1–4.1.2"),
    "derivations/softmax.md": ("Softmax and its derivatives", "softmax及其导数", "3.4.6.2", "4.1.2.2"),
    "derivations/information.md": ("Information theory; prediction and evaluation",
                                   "信息论基础；模型预测和评估", "3.4.7–3.4.8", "4.1.3, 4.3.2"),
    "walkthroughs/softmax-regression.md": ("Softmax regression from scratch and concise",
                                           "softmax回归的从零开始实现与简洁实现", "3.6–3.7", "4.3–4.5"),
    "stability.md": ("Softmax revisited (LogSumExp)", "重新审视softmax的实现", "3.7.2", "4.5.2"),
    "walkthroughs/fashion-mnist.md": ("The image classification data set", "图像分类数据集", "3.5", "4.2"),
    "optimizers.md": ("Minibatch SGD, Adam, learning-rate schedules", "小批量随机梯度下降、Adam、学习率调度器",
                      "11.5, 11.10, 11.11", "12.5, 12.10, 12.11"),
    "experiments.md": ("Model selection on a validation set", "模型选择与验证集", "4.4.2", "3.6.3"),
    "walkthroughs/book-style.md": ("The book's chapter 3 code", "书中第3章的代码", "3.2–3.7", "—"),
    "pytorch.md": ("The book's chapter 3 code", "书中第3章的代码", "3.2–3.7", "—"),
}

_LINE = {
    "en": ("*Book sections: d2l-zh 2 / classic d2l {zh}; d2l-en 1.0 {en}* "
           "([which edition?]({href}))"),
    "zh": ("*对应《动手学深度学习》第2版 {zh} 节；英文1.0版 {en} 节*"
           "（[两版对照]({href})）"),
}
_HEAD = {
    "en": "| topic | d2l-zh 2 / classic d2l (`train_ch3`) | d2l-en 1.0 (`d2l.Module`, `Trainer`) | page |\n"
          "| --- | --- | --- | --- |",
    "zh": "| 内容 | 《动手学深度学习》第2版（`train_ch3`） | 英文1.0版（`d2l.Module`、`Trainer`） | 本站页面 |\n"
          "| --- | --- | --- | --- |",
}


def _english(src_uri: str) -> tuple[str, str]:
    """('concepts/graphs.md', 'zh') for 'concepts/graphs.zh.md'."""
    if src_uri.endswith(".zh.md"):
        return src_uri[:-len(".zh.md")] + ".md", "zh"
    return src_uri, "en"


def _titles(config, lang: str) -> dict:
    """page -> its navigation title, in the page's language (the i18n plugin's nav_translations)."""
    titles = {}

    def walk(items):
        for item in items or []:
            if isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, list):
                        walk(value)
                    else:
                        titles[value] = title
    walk(config["nav"])
    plugin = config["plugins"].get("i18n")
    for language in (plugin.config.languages if plugin else []):
        if language.locale == lang and language.nav_translations:
            titles = {page: language.nav_translations.get(t, t) for page, t in titles.items()}
    return titles


def table(lang: str, here: str, titles: dict | None = None) -> str:
    rows = [_HEAD[lang]]
    for page, (topic_en, topic_zh, zh, en) in EDITIONS.items():
        href = posixpath.relpath(page, posixpath.dirname(here) or ".")
        if lang == "zh":
            zh, en = zh.replace("; ", "、"), en.replace("; ", "、")
        name = (titles or {}).get(page, page[:-3])
        rows.append(f"| {topic_zh if lang == 'zh' else topic_en} | {zh} | {en} | [{name}]({href}) |")
    return "\n".join(rows)


def on_page_markdown(markdown, page, config, files, **kwargs):
    src, lang = _english(page.file.src_uri)
    if "<!-- editions-table -->" in markdown:
        markdown = markdown.replace("<!-- editions-table -->", table(lang, src, _titles(config, lang)))
    if src not in EDITIONS:
        return markdown
    _, _, zh, en = EDITIONS[src]
    href = posixpath.relpath("editions.md", posixpath.dirname(src) or ".")
    if lang == "zh":
        zh, en = zh.replace("; ", "、"), en.replace("; ", "、")
    line = _LINE[lang].format(zh=zh, en=en, href=href)
    head, _, rest = markdown.partition("\n")
    if not head.startswith("# "):
        raise ValueError(f"{page.file.src_uri}: a page in the editions table must start with its title")
    return f"{head}\n\n{line}\n{rest}"
