# Two commands: `make book` builds the website, `make test` runs every check.
# Both create .venv and install requirements.txt + mlbook (editable) on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
# The notebooks' own thread count: two workers share the two cores during `make test`.
export OMP_NUM_THREADS ?= 1
export MPLBACKEND ?= Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: venv vendor book serve test test-fast times clean min-versions

# CPU-only PyTorch (a few hundred MB instead of several GB of CUDA wheels from PyPI):
#   make book TORCH_INDEX=https://download.pytorch.org/whl/cpu
# installs the pinned torch from PyTorch's CPU index before the rest of requirements.txt.
TORCH_INDEX ?=

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "The pinned requirements need Python 3.11 or newer; this is " + sys.version.split()[0] + ". Install one and run: make PYTHON=python3.11 ...")'
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "Python's venv module is missing: on Debian/Ubuntu, sudo apt install python3-venv (or python3.X-venv)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(if $(TORCH_INDEX),$(BIN)/pip install -q --index-url $(TORCH_INDEX) "$$(grep '^torch==' requirements.txt)")
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

venv: $(STAMP)

vendor: $(STAMP)
	$(BIN)/python tools/vendor_assets.py

book: vendor
	$(BIN)/python tools/execute_book.py
	$(BIN)/jupyter-book build . -W -n --keep-going
	@$(BIN)/python tools/nbtime.py
	@echo
	@echo "The website is in _build/html: open _build/html/index.html, or run 'make serve'."

serve:
	@echo "Serving _build/html on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# Unit tests, bilingual checks, the widget notebooks run live with every control moved, the site
# build (it executes every notebook, two at a time, and fails on any error; warnings are errors), the
# offline scan and the browser test, on two workers. Each notebook is executed once for the site;
# the widget notebooks once more in their live form.
test: vendor
	$(BIN)/python -m pytest -n 2 --dist loadfile -p no:cacheprovider tests

# Without the site and the browser: nbval executes the notebooks instead.
test-fast: vendor
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval-lax --nbval-current-env -p no:cacheprovider -m "not site" tests chapters

times:
	$(BIN)/python tools/nbtime.py

# The declared lower bounds are true: a throwaway venv gets every lower bound of pyproject.toml
# (dependencies and the test extra) installed exactly, read from pyproject.toml itself, then mlbook
# without dependencies, and runs the unit tests (no notebooks, site, widgets or bilingual checks).
# torch stays at the version of requirements.txt, to spare a second large download; this target ignores
# TORCH_INDEX, so pip takes that torch from its configured index (from PyPI on Linux: the CUDA build, several
# GB; set PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu for the CPU wheel).
# `make min-versions MIN_TORCH=2.0` tests the declared bound itself.
MIN_VENV  ?= .venv-min
MIN_TORCH ?= $(shell sed -n 's/^torch==//p' requirements.txt)
min-versions:
	rm -rf $(MIN_VENV)
	$(PYTHON) -m venv $(MIN_VENV)
	MIN_TORCH=$(MIN_TORCH) $(MIN_VENV)/bin/python -c 'import os, re, tomllib; \
	  p = tomllib.load(open("pyproject.toml", "rb"))["project"]; torch = os.environ["MIN_TORCH"]; \
	  pins = [re.sub(r"\s*>=\s*", "==", d) for d in p["dependencies"] + p["optional-dependencies"]["test"]]; \
	  print("\n".join("torch==" + torch if torch and d.startswith("torch==") else d for d in pins))' \
	  > $(MIN_VENV)/min-requirements.txt
	@echo "Lower bounds installed:"; cat $(MIN_VENV)/min-requirements.txt
	$(MIN_VENV)/bin/pip install -q -r $(MIN_VENV)/min-requirements.txt
	$(MIN_VENV)/bin/pip install -q --no-deps -e .
	@$(MIN_VENV)/bin/python -c 'import numpy, scipy, sklearn, matplotlib, torch; \
	  print("numpy", numpy.__version__, "| scipy", scipy.__version__, "| scikit-learn", sklearn.__version__, \
	        "| matplotlib", matplotlib.__version__, "| torch", torch.__version__)'
	$(MIN_VENV)/bin/python -m pytest -p no:cacheprovider -q -m "not site" tests \
	  --ignore=tests/test_site.py --ignore=tests/test_live_widgets.py \
	  --ignore=tests/test_notebooks.py --ignore=tests/test_bilingual.py

clean:
	rm -rf _build
