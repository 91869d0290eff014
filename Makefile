# Set-up is shared by every target: a virtual environment with the package and its
# dev tools, and TeX Live from Debian when pdflatex is missing (CI runs on clean machines).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BROWSER_PACKAGES := chromium chromium-driver
# maxima: the STACK export's trees run in it (tests/exams/test_stack.py); maxima-share holds
# the linearalgebra package STACK loads (only recommended by maxima)
MAXIMA_PACKAGES := maxima maxima-share
# texlive-pictures: TikZ, for the pictures of the optimization and models solutions
TEX_PACKAGES := texlive-latex-base texlive-latex-recommended texlive-fonts-recommended texlive-pictures lmodern latexmk poppler-utils

.PHONY: setup tex browser maxima demo test bench difftest serve clean

setup: $(VENV)/.installed tex browser maxima

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,web]'
	touch $@

tex:
	@if command -v pdflatex >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
	  && kpsewhich tikz.sty >/dev/null 2>&1; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "pdflatex is missing and apt-get is not available: PDFs will not be built"; exit 0; fi; \
	SUDO=; if [ "$$(id -u)" != 0 ]; then SUDO="sudo -n"; fi; \
	echo "installing TeX Live ($(TEX_PACKAGES))"; \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES) >/dev/null \
	  || echo "could not install TeX Live: PDFs will not be built"

# the web app's browser tests (tests/web/test_browser.py) drive Debian's headless Chromium
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "chromium is missing and apt-get is not available: the browser tests are skipped"; exit 0; fi; \
	SUDO=; if [ "$$(id -u)" != 0 ]; then SUDO="sudo -n"; fi; \
	echo "installing $(BROWSER_PACKAGES)"; \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(BROWSER_PACKAGES) >/dev/null \
	  || echo "could not install chromium: the browser tests are skipped"

# the STACK export's potential response trees are run in Debian's Maxima (tests/exams/test_stack.py)
maxima:
	@if command -v maxima >/dev/null 2>&1 && ls -d /usr/share/maxima/*/share/linearalgebra >/dev/null 2>&1; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "maxima is missing and apt-get is not available: the STACK tests are skipped"; exit 0; fi; \
	SUDO=; if [ "$$(id -u)" != 0 ]; then SUDO="sudo -n"; fi; \
	echo "installing $(MAXIMA_PACKAGES)"; \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(MAXIMA_PACKAGES) >/dev/null \
	  || echo "could not install maxima: the STACK tests are skipped"

demo: setup
	$(VENV)/bin/tutor sheet examples/lecture1.toml -o out/

serve: setup
	$(VENV)/bin/tutor serve

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) -m bench

# The differential test at scale: DIFFTEST_COUNT problems (default 2000) over every kind,
# each answer against sympy/numpy, a table per kind (DIFFTEST_SEED, DIFFTEST_KINDS=det,svd).
difftest: setup
	$(PY) -m tests.differential.runner

clean:
	rm -rf out build *.egg-info .pytest_cache
