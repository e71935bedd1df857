# The KB's commands (see README). Every target installs what it needs first.
VENV     := .venv
PY       := $(VENV)/bin/python
STAMP    := $(VENV)/.installed
PYTHON   ?= python3
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build publish offline test quick bench chromium pdf-libs clean lock audit validators validator-debs

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# --dirty: a rebuild renders only the pages an edit shows on (kb_mkdocs/serving.py keeps the rest right)
serve: install
	$(VENV)/bin/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: install
	KB_AUDIENCE=internal $(VENV)/bin/mkdocs build --strict --site-dir site

publish: install pdf-libs
	KB_AUDIENCE=public $(VENV)/bin/mkdocs build --strict --site-dir site

# The internal KB for reading with no server: open site-offline/index.html from the folder or the zip.
offline: install
	rm -rf site-offline site-offline.zip
	KB_AUDIENCE=internal KB_OFFLINE=true $(VENV)/bin/mkdocs build --strict --site-dir site-offline
	$(PY) -m zipfile -c site-offline.zip site-offline

# Browser tests need a Chromium: Debian's package, installed here when missing and running as root.
chromium:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'" >&2; exit 1; \
	fi

# PDFs need Pango (WeasyPrint draws text with it) and the DejaVu fonts they embed: Debian's packages,
# installed here when missing and running as root.
pdf-libs:
	@if [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's fonts-dejavu-core and Pango for the PDFs"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	else \
		echo "PDFs need Debian's fonts-dejavu-core and Pango: run 'sudo apt-get install fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0'" >&2; exit 1; \
	fi

# The validators the tests run on both builds, as a user would run them: the Nu HTML Checker (npm vnu-jar, on
# Debian's Java) and Lighthouse (npm, on Debian's Chromium), pinned in package-lock.json; Debian's poppler-utils
# (pdfinfo, pdftotext) and qpdf read the PDFs; strace kills kb commands at their writes
# (tests/test_atomic_edits.py). Installed here when missing and running as root.
VALIDATOR_DEBS := default-jre-headless:java poppler-utils:pdfinfo qpdf:qpdf nodejs:node npm:npm strace:strace
validators: validator-debs node_modules/.installed

validator-debs:
	@missing=""; for pair in $(VALIDATOR_DEBS); do command -v $${pair#*:} >/dev/null 2>&1 || missing="$$missing $${pair%%:*}"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's$$missing for the validators"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "The validators need Debian's$$missing: run 'sudo apt-get install$$missing'" >&2; exit 1; \
	fi

node_modules/.installed: package.json package-lock.json | validator-debs
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

test: install chromium pdf-libs validators
	$(VENV)/bin/pytest -q

# The quick loop: everything but what builds whole sites, drives Chromium or runs the validators (marker `slow`),
# on every core (pytest-xdist).
quick: install
	$(VENV)/bin/pytest -q -m "not slow" -n auto

# Benchmarks (benchmarks/bench.py): KB build against plain Material, kb check, PDFs, memory, mkdocs serve.
# make bench N=1000 REPEAT=3; SIZES=300,1000,3000 adds the growth table.
N      ?= 1000
REPEAT ?= 3
bench: install pdf-libs
	$(PY) benchmarks/bench.py --n $(N) --repeat $(REPEAT) $(if $(SIZES),--sizes $(SIZES))

clean:
	rm -rf site site-offline site-offline.zip .pytest_cache

# requirements.in holds the pins; this writes requirements.txt with every file's hash.
lock: install
	$(PY) -m pip install --quiet --disable-pip-version-check pip-tools==7.6.2
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file=requirements.txt requirements.in

# Known vulnerabilities in the pinned dependencies (needs the PyPI JSON API or OSV, i.e. the internet).
audit: install
	$(PY) -m pip install --quiet --disable-pip-version-check pip-audit==2.10.1
	$(VENV)/bin/pip-audit --require-hashes --disable-pip -r requirements.txt
