# The README's two commands: `make run` and `make test`. Both do the whole set-up on a
# fresh Debian/Ubuntu machine: system packages when missing, a .venv, the package.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Tesseract (English and Russian) for the reader's second engine and the visual zone, and the
# region's own Cyrillic alphabets (Kazakh, Kyrgyz, Tajik, Ukrainian, Uzbek) for names in them;
# OCR-B (public domain), DejaVu, Liberation, FreeFont and Noto (Latin + Cyrillic) for the specimen
# generator's layout families (screening/samples/fonts.py finds them); PC/SC for the chip
# reader (pyscard, the `chip` extra, builds against libpcsclite with swig; pcscd talks to readers).
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-kaz tesseract-ocr-kir tesseract-ocr-tgk tesseract-ocr-ukr tesseract-ocr-uzb-cyrl fonts-ocr-b fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-freefont-ttf fonts-noto-core chromium \
	swig libpcsclite-dev pcscd
# Only to retrain the recognisers (tools/train_ocrb.py: other monospaced faces; tools/train_viz.py: the
# visual zone's faces, screening/viz_synth.py, and Roboto, held out for benchmarks/viz_ocr.py). `make train-deps`.
TRAINING_PACKAGES := fonts-liberation2 fonts-croscore fonts-noto-mono fonts-go fonts-freefont-ttf fonts-courier-prime \
	fonts-paratype fonts-open-sans fonts-urw-base35 fonts-crosextra-carlito fonts-crosextra-caladea \
	fonts-linuxlibertine fonts-cmu fonts-roboto
INSTALLED := $(VENV)/.installed

.PHONY: setup system-packages run test clean train-deps wheelhouse

setup: system-packages $(INSTALLED)

system-packages:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "screening needs Python 3.11 or newer (on Debian/Ubuntu: apt-get install python3.11 python3.11-venv; then make PYTHON=python3.11)"; exit 1; }
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	$(PYTHON) -c 'import ensurepip' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null; then echo "Please install:$$missing"; exit 1; fi; \
	  echo "Installing system packages:$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	fi

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,chip]'
	@touch $@

# The main job: the checkpoint kiosk with demo accounts (printed) and sample_docs as a
# training set; drop scans into .kiosk-demo/inbox (e.g. cp sample_docs/014_*.jpg .kiosk-demo/inbox/).
run: setup
	@mkdir -p .kiosk-demo/inbox
	@echo "Demo: copy a scan into .kiosk-demo/inbox/ (e.g. cp sample_docs/014_td3_tkm_scan300.jpg .kiosk-demo/inbox/)"
	$(BIN)/screening kiosk serve --data .kiosk-demo --watch .kiosk-demo/inbox --demo

test: setup
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# Wheels of the package and of everything it needs, for posts without network (same OS, CPU
# and Python as this machine): copy wheelhouse/ there and
#   python3 -m venv venv && venv/bin/pip install --no-index --find-links wheelhouse screening
wheelhouse: setup
	$(BIN)/pip wheel -q -w wheelhouse .

# What retraining the recogniser needs beyond `make setup` (not needed to run or test).
train-deps: setup
	@$(MAKE) --no-print-directory system-packages APT_PACKAGES="$(TRAINING_PACKAGES)"
	$(BIN)/pip install -q torch==2.13.0 onnx --index-url https://download.pytorch.org/whl/cpu --extra-index-url https://pypi.org/simple
