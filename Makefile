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

.PHONY: venv vendor book serve test test-fast times clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

venv: $(STAMP)

vendor: $(STAMP)
	$(BIN)/python tools/vendor_assets.py

book: vendor
	$(BIN)/jupyter-book build . -W -n --keep-going
	@$(BIN)/python tools/nbtime.py
	@echo
	@echo "The website is in _build/html: open _build/html/index.html, or run 'make serve'."

serve:
	@echo "Serving _build/html on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# Unit tests, bilingual checks, nbval over every notebook, the site build (warnings are errors),
# the offline scan and the browser test, on two workers.
test: vendor
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval-lax --nbval-current-env -p no:cacheprovider tests chapters

# The same without the site and the browser.
test-fast: vendor
	$(BIN)/python -m pytest -n 2 --dist loadfile --nbval-lax --nbval-current-env -p no:cacheprovider -m "not site" tests chapters

times:
	$(BIN)/python tools/nbtime.py

clean:
	rm -rf _build
