# 南昌市教育局信用信息报送与公示平台 — the two commands: `make demo` and `make test`.
#
# Every target first makes sure .venv exists with the machine's python3 and holds this project:
# the venv is (re)created when it is missing or its interpreter no longer runs, and the dependencies are
# (re)installed from requirements.lock (exact versions, sha256 hashes checked: pip --require-hashes) whenever the
# lock or pyproject.toml is newer than the stamp file the last install left. pip prints errors only (-q -q): a
# machine's pip configuration can warn once per locked package, lines that would come before the demo's addresses.
# `make lock` re-pins after a change to pyproject.toml's dependencies.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.nc-edu-credit-installed
LOCK := requirements.lock
PYTEST_ARGS ?=
# pytest-xdist workers of `make test`; PYTEST_WORKERS=0 runs in one process. Three on these 2 cores: while one worker
# waits (Chromium rendering, a live server's thread, SQLite's file), another runs. Measured back to back on one machine
# (README, "make test"): two workers 224-230 s, three 196-200 s, four 210 s.
PYTEST_WORKERS ?= 3
# The demo's web server: gunicorn with the image's settings (config/gunicorn.conf.py), on the loopback address only;
# no access log and gunicorn's own messages from warnings up, so the terminal keeps the addresses and the accounts
# (runserver printed its start-up banner, an English warning and a line per request after them). Without REDIS_URL
# that file starts one worker process of 8 threads: processes would each keep a local-memory cache of their own (two
# workers served a withdrawn entry's cached page from one of them for minutes, and counted the request limits apart);
# with it, GUNICORN_WORKERS processes (default 3) sharing Redis.
DEMO_ADDRESS ?= 127.0.0.1:8000
DEMO_SERVER = $(VENV)/bin/gunicorn -c config/gunicorn.conf.py --bind $(DEMO_ADDRESS) --access-logfile /dev/null --log-level warning config.wsgi:application

.PHONY: help install demo test lint lock

help:
	@echo "make demo   创建环境、载入演示数据并启动 http://$(DEMO_ADDRESS)/ (SQLite, tasks in-process)"
	@echo "make test   运行全部测试 (python -m pytest -n \$$PYTEST_WORKERS \$$PYTEST_ARGS; PYTEST_ARGS=--create-db 重建测试库)"
	@echo "make lint   ruff check + ruff format --check + lint-imports (the apps' layers)"
	@echo "make lock   重新生成 requirements.lock (pip-compile --generate-hashes) after changing pyproject.toml"

install:
	@set -e; \
	if ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' >/dev/null 2>&1; then \
		echo "==> 创建虚拟环境 creating $(VENV) with $$(command -v $(PYTHON)) ($$($(PYTHON) --version 2>&1))"; \
		rm -rf $(VENV); \
		$(PYTHON) -m venv $(VENV); \
	fi; \
	if [ ! -f $(STAMP) ] || [ pyproject.toml -nt $(STAMP) ] || [ $(LOCK) -nt $(STAMP) ]; then \
		echo "==> 安装依赖 installing the locked dependencies into $(VENV) ($(LOCK), hashes checked)"; \
		$(PY) -m pip install --quiet --quiet --disable-pip-version-check --require-hashes --no-deps -r $(LOCK); \
		$(PY) -m pip install --quiet --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .; \
		touch $(STAMP); \
	fi

# The embedded default: config.settings.local, SQLite beside the project, Celery tasks run in-process.
# DATABASE_URL / REDIS_URL, when set, are honoured by the same settings.
demo: export DJANGO_SETTINGS_MODULE ?= config.settings.local
demo: install
	@echo "==> 迁移数据库 migrating the database ($${DATABASE_URL:-SQLite db.sqlite3})"
	@$(PY) manage.py migrate --noinput --verbosity 0
	@echo "==> 载入演示数据 loading the demo data"
	@$(PY) manage.py load_demo --password "$${DEMO_PASSWORD:-Demo@2026nc}"
	@$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo
	@echo "================================================================================"
	@echo " 演示环境已就绪 The demo portal is ready"
	@echo
	@echo "   公示专栏 Public credit column : http://$(DEMO_ADDRESS)/"
	@echo "   工作台   Staff workspace      : http://$(DEMO_ADDRESS)/workspace/"
	@echo "   系统管理 Admin (系统/安全管理员): http://$(DEMO_ADDRESS)/admin/"
	@echo "   接口文档 API docs             : http://$(DEMO_ADDRESS)/api/docs/"
	@echo
	@echo "   演示账号见上方 load_demo 的输出 (accounts are listed above by load_demo);"
	@echo "   统一密码 password: $${DEMO_PASSWORD:-Demo@2026nc}"
	@echo "   按 Ctrl+C 停止 Press Ctrl+C to stop."
	@echo "================================================================================"
	@echo
	@$(DEMO_SERVER)

# The test database is kept between runs (--reuse-db in pyproject.toml; README, "make test").
# --dist worksteal: each worker starts with half of the tests, its share of the slowest first (tests/conftest.py,
# ``_longest_first``), and an idle worker takes half of the other's remaining queue; every test starts on the database
# as migrated, whatever ran before it (``_RestoreAtTeardown``), so the order is free.
# PYTHONDONTWRITEBYTECODE (set on some machines) is lifted for the run: the project's compiled modules and pytest's
# rewritten test modules stay in __pycache__ (ignored by git) between runs, as the test database does, instead of
# every worker compiling and rewriting 500 files again (about 5 s of each run's start).
test: export PYTHONDONTWRITEBYTECODE =
test: install
	@if [ "$(PYTEST_WORKERS)" = "0" ]; then $(PY) -m pytest $(PYTEST_ARGS); \
	else $(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS); fi

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

# Re-pin every dependency (runtime and dev, setuptools included) with its sha256 hashes; requirements-prod.lock holds
# the runtime ones only, for the Docker image. pip-tools is a tool of this
# target only, installed on demand; the lock names no index, so pip's own configuration decides where files come from.
lock: install
	$(PY) -m pip install --quiet --disable-pip-version-check 'pip-tools>=7.4'
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--extra dev --build-deps-for editable --no-emit-index-url --no-emit-find-links --output-file $(LOCK) pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--build-deps-for wheel --no-emit-index-url --no-emit-find-links --output-file requirements-prod.lock pyproject.toml
