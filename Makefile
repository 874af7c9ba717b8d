# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test lint bench translations extract-messages

run: $(VENV)/.installed translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The house rules a reviewer would otherwise repeat (ruff.toml says which); CI runs it first.
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check crmweb tests bench

bench: $(VENV)/.installed-dev translations
	$(BIN)/python -m bench $(BENCH_ARGS)

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { echo "创建虚拟环境失败：请先安装 python3-venv（sudo apt-get install -y python3-venv）。"; exit 1; }

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	@touch $@

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d translations > /dev/null

# After changing user-facing strings: refresh the catalogue, then translate the new entries.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract --no-wrap -F babel.cfg -k _l -o translations/messages.pot crmweb templates
	$(BIN)/pybabel update --no-wrap --no-fuzzy-matching -i translations/messages.pot -d translations
