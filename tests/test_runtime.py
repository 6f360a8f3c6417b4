"""mlbook.device, mlbook.seed_everything and mlbook.progress."""
from __future__ import annotations

import random

import numpy as np
import pytest
import torch

import mlbook


def test_device_defaults_to_cuda_when_available(monkeypatch):
    monkeypatch.delenv("MLBOOK_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert mlbook.device().type == expected


def test_environment_overrides_device(monkeypatch):
    monkeypatch.setenv("MLBOOK_DEVICE", "cpu")
    assert mlbook.device() == torch.device("cpu")


def test_argument_overrides_environment(monkeypatch):
    monkeypatch.setenv("MLBOOK_DEVICE", "nonsense")
    assert mlbook.device("cpu") == torch.device("cpu")


@pytest.mark.parametrize("bad", ["gpu", "tpu", "cuda0x", "xpu"])
def test_unknown_device_is_refused(monkeypatch, bad):
    monkeypatch.setenv("MLBOOK_DEVICE", bad)
    with pytest.raises(ValueError, match="MLBOOK_DEVICE"):
        mlbook.device()


def test_a_device_type_torch_knows_is_still_refused():
    torch.device("xpu")                      # a valid torch device type ...
    with pytest.raises(ValueError, match="argument"):
        mlbook.device("xpu")                 # ... outside cpu / cuda / mps


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error raised without CUDA")
def test_cuda_request_without_cuda_is_a_clear_error():
    with pytest.raises(RuntimeError, match="CUDA is not available"):
        mlbook.device("cuda")


@pytest.mark.parametrize("seed", [0, 1, 12345, 2**32 - 1])
def test_seed_everything_makes_every_generator_repeat(seed):
    def draw():
        return random.random(), np.random.rand(3), torch.rand(3)

    mlbook.seed_everything(seed)
    a = draw()
    mlbook.seed_everything(seed)
    b = draw()
    assert a[0] == b[0]
    np.testing.assert_array_equal(a[1], b[1])
    assert torch.equal(a[2], b[2])


def test_different_seeds_give_different_draws():
    mlbook.seed_everything(0)
    a = torch.rand(4)
    mlbook.seed_everything(1)
    assert not torch.equal(a, torch.rand(4))


@pytest.mark.parametrize("bad, err", [(-1, ValueError), (2**32, ValueError), (1.5, TypeError),
                                      ("3", TypeError), (True, TypeError)])
def test_seed_everything_refuses_bad_seeds(bad, err):
    with pytest.raises(err, match="seed"):
        mlbook.seed_everything(bad)


def test_progress_yields_every_item(monkeypatch):
    monkeypatch.setenv("MLBOOK_PROGRESS", "0")
    assert list(mlbook.progress(range(5), desc="x")) == [0, 1, 2, 3, 4]


def test_progress_bar_counts(capsys):
    items = list(mlbook.progress(range(3), desc="steps", disable=False))
    assert items == [0, 1, 2]
    assert "3/3" in capsys.readouterr().err


def test_use_style_sets_the_palette():
    import matplotlib as mpl

    mlbook.use_style()
    colours = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    assert colours[0].lower() == mlbook.plotting.PALETTE[0].lower()
    assert mpl.rcParams["axes.grid"]


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError):
        mlbook.no_such_module


def test_seeding_does_not_import_torch_for_a_notebook_without_it():
    import subprocess
    import sys

    code = "import sys, mlbook; mlbook.seed_everything(0); print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
