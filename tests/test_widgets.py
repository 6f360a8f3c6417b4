"""mlbook.widgets.flipbook: live in a kernel, precomputed and browser-linked for the website."""
from __future__ import annotations

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import pytest

from mlbook import widgets

calls: list[dict] = []


def draw(**params):
    calls.append(params)
    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot(np.arange(5) * float(params.get("k", 1)))
    ax.set_title(str(params))
    return fig


def images(widget) -> list[w.Image]:
    found = []

    def walk(x):
        if isinstance(x, w.Image):
            found.append(x)
        for child in getattr(x, "children", ()):
            walk(child)

    walk(widget)
    return found


def test_static_form_precomputes_every_frame_and_links_in_the_browser():
    calls.clear()
    box = widgets.flipbook(draw, live=False, k=[1, 2, 3], kind=["a", "b"])
    assert box.live is False and box.n_frames == 6
    assert len(calls) == 6 and {(c["k"], c["kind"]) for c in calls} == {(k, s) for k in (1, 2, 3) for s in "ab"}
    frames = images(box)
    assert len(frames) == 6 and all(bytes(f.value).startswith(b"\x89PNG") for f in frames)
    assert len({bytes(f.value) for f in frames}) == 6  # every frame differs
    new = box.links
    # one link for the outer stack, one for each of the three inner stacks
    assert len(new) == 4
    assert all(x.source[1] == "index" and x.target[1] == "selected_index" for x in new)
    assert {id(x.source[0]) for x in new} == {id(box.controls["k"]), id(box.controls["kind"])}
    assert isinstance(box.controls["k"], w.SelectionSlider)
    assert isinstance(box.controls["kind"], w.ToggleButtons)


def test_static_frames_are_ordered_like_the_controls():
    box = widgets.flipbook(draw, live=False, k=[1, 2])
    stack = box.children[-1]
    assert isinstance(stack, w.Stack) and stack.selected_index == 0
    assert [o[0] for o in box.controls["k"].options] == ["1", "2"]


def test_live_range_redraws_any_value_in_the_range():
    calls.clear()
    box = widgets.flipbook(draw, live=True, k=widgets.Range(0.5, 4.0))
    assert box.live is True and len(calls) == 1  # only the first frame is drawn up front
    slider = box.controls["k"]
    assert isinstance(slider, w.FloatSlider) and (slider.min, slider.max) == (0.5, 4.0)
    first = bytes(images(box)[0].value)
    slider.value = 2.37  # not a static frame
    assert calls[-1]["k"] == pytest.approx(2.37)
    assert bytes(images(box)[0].value) != first


def test_live_list_offers_exactly_the_listed_values():
    box = widgets.flipbook(draw, live=True, k=[8, 32, 128], kind=["x", "y"])
    k = box.controls["k"]
    assert isinstance(k, w.SelectionSlider) and [v for _, v in k.options] == [8, 32, 128]
    assert isinstance(box.controls["kind"], w.ToggleButtons)
    with pytest.raises(Exception):
        k.value = 9  # not offered, so it cannot reach the drawing function
    box.controls["kind"].value = "y"
    assert calls[-1]["kind"] == "y"


def test_live_log_and_integer_ranges():
    box = widgets.flipbook(draw, live=True, k=widgets.Range(0.001, 1.0, log=True), j=widgets.Range(2, 10, integer=True))
    assert isinstance(box.controls["k"], w.FloatLogSlider)
    assert isinstance(box.controls["j"], w.IntSlider) and (box.controls["j"].min, box.controls["j"].max) == (2, 10)


def test_range_grid_for_the_static_form():
    assert widgets.Range(0.01, 1.0, log=True, frames=3).grid() == [0.01, 0.1, 1.0]
    assert widgets.Range(1, 14, integer=True, frames=6).grid() == [1, 4, 6, 9, 11, 14]
    assert widgets.Range(0.01, 0.21, frames=[0.05, 0.2, 0.21]).grid() == [0.05, 0.2, 0.21]
    odd = widgets.Range(0.0123456, 0.98765, frames=4)
    assert all(odd.low <= v <= odd.high for v in odd.grid()), odd.grid()  # rounding never leaves the range
    box = widgets.flipbook(draw, live=False, k=widgets.Range(0.0, 1.0, frames=5))
    assert box.n_frames == 5 and [o[0] for o in box.controls["k"].options] == ["0", "0.25", "0.5", "0.75", "1"]


@pytest.mark.parametrize("kwargs, match", [
    (dict(low=1.0, high=1.0), "low < high"),
    (dict(low=0.0, high=1.0, log=True), "low > 0"),
    (dict(low=0.5, high=3, integer=True), "whole-number"),
    (dict(low=0.0, high=1.0, frames=1), "frames"),
    (dict(low=0.0, high=1.0, frames=[0.5, 2.0]), "frames"),
    (dict(low=0.0, high=float("inf")), "finite"),
    (dict(low=0.0, high=1.0, start=2.0), "outside"),
])
def test_bad_ranges_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        widgets.Range(**kwargs)


def test_exercise_moves_every_control_and_names_the_failing_setting():
    table = {2: "a", 5: "b"}

    def lookup(depth, kind):
        table[depth]
        return draw(k=depth, kind=kind)

    good = widgets.flipbook(lookup, live=True, depth=[2, 5], kind=["a", "b"])
    drawn = widgets.exercise(good)
    assert {d["depth"] for d in drawn} == {2, 5} and {d["kind"] for d in drawn} == {"a", "b"}
    assert good in widgets.built()
    bad = widgets.flipbook(lookup, live=True, depth=widgets.Range(2, 5, integer=True), kind=["a"])
    with pytest.raises(RuntimeError, match=r"lookup failed at \{'depth': 3"):
        widgets.exercise(bad)
    with pytest.raises(ValueError, match="live"):
        widgets.exercise(widgets.flipbook(draw, live=False, k=[1]))


def test_environment_selects_the_form(monkeypatch):
    monkeypatch.setenv("MLBOOK_WIDGETS", "static")
    assert widgets.flipbook(draw, k=[1, 2]).live is False
    monkeypatch.setenv("MLBOOK_WIDGETS", "live")
    assert widgets.flipbook(draw, k=[1, 2]).live is True
    monkeypatch.setenv("MLBOOK_WIDGETS", "sometimes")
    with pytest.raises(ValueError, match="MLBOOK_WIDGETS"):
        widgets.flipbook(draw, k=[1, 2])


def test_labels_are_shown():
    box = widgets.flipbook(draw, live=False, labels={"k": "frequency k"}, k=[1, 2])
    assert box.controls["k"].description == "frequency k"


@pytest.mark.parametrize("grids, err, match", [
    ({}, ValueError, "at least one"),
    ({"k": []}, ValueError, "empty"),
    ({"k": [1, 1]}, ValueError, "repeated"),
    ({"k": [1, "a"]}, TypeError, "mixes"),
    ({"k": [1.0, float("nan")]}, ValueError, "NaN"),
    ({"k": 3}, TypeError, "list of values"),
    ({"k": "abc"}, TypeError, "list of values"),
    ({"k": list(range(21)), "j": list(range(20))}, ValueError, "frames"),
])
def test_bad_grids_are_refused(grids, err, match):
    with pytest.raises(err, match=match):
        widgets.flipbook(draw, live=False, **grids)


def test_bad_draw_and_labels_are_refused():
    with pytest.raises(TypeError, match="callable"):
        widgets.flipbook(42, k=[1])
    with pytest.raises(TypeError, match="Figure"):
        widgets.flipbook(lambda k: "not a figure", live=True, k=[1])
    with pytest.raises(ValueError, match="unknown parameters"):
        widgets.flipbook(draw, labels={"q": "?"}, k=[1])


def test_grid_points_enumerates_the_product_in_frame_order():
    pts = widgets.grid_points(a=[1, 2], b=["x", "y", "z"])
    assert len(pts) == 6 and pts[0] == {"a": 1, "b": "x"} and pts[-1] == {"a": 2, "b": "z"}


def test_the_static_form_starts_at_the_frame_nearest_to_a_ranges_start():
    from mlbook.widgets import Range, flipbook
    box = flipbook(lambda a, b: None, a=Range(0.05, 20, log=True, frames=(0.05, 0.5, 1, 2, 20), start=1),
                   b=["x", "y"], live=False)
    assert box.controls["a"].value == 2 and box.controls["b"].value == 0
    root = box.children[-1]
    assert root.selected_index == 2 and all(st.selected_index == 0 for st in root.children)
