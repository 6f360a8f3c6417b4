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


def test_live_form_redraws_any_value_in_the_range():
    calls.clear()
    box = widgets.flipbook(draw, live=True, k=[0.5, 1.0, 4.0])
    assert box.live is True and len(calls) == 1  # only the first frame is drawn up front
    slider = box.controls["k"]
    assert isinstance(slider, w.FloatSlider) and (slider.min, slider.max) == (0.5, 4.0)
    first = bytes(images(box)[0].value)
    slider.value = 2.37  # not a grid value
    assert calls[-1]["k"] == pytest.approx(2.37)
    assert bytes(images(box)[0].value) != first


def test_live_form_uses_log_slider_for_log_spaced_grids_and_menus_for_labels():
    box = widgets.flipbook(draw, live=True, k=[0.001, 0.01, 0.1, 1.0], kind=["x", "y"])
    assert isinstance(box.controls["k"], w.FloatLogSlider)
    assert isinstance(box.controls["kind"], w.Dropdown)
    box.controls["kind"].value = "y"
    assert calls[-1]["kind"] == "y"


def test_integer_grids_get_an_integer_slider():
    box = widgets.flipbook(draw, live=True, k=[2, 5, 10])
    assert isinstance(box.controls["k"], w.IntSlider)


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
    ({"k": 3}, TypeError, "sequence"),
    ({"k": "abc"}, TypeError, "sequence"),
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
