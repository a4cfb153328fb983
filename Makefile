# The few targets people type. A newcomer needs only scripts/run and scripts/test (README).
.PHONY: run test lint bench setup mutation lock
setup:
	scripts/setup
run:
	scripts/run
test:
	scripts/test
lint: setup
	.venv/bin/ruff check . && .venv/bin/mypy common kiosk forms drivers printouts tests bench
bench: setup
	.venv/bin/python -m bench
mutation: setup
	scripts/mutation
lock:
	scripts/lock
