# shellcheck shell=bash
# The Python tools of the test command in a venv of their own, from the pinned
# scripts/lib/py/requirements.txt (PyPI). Source this file, then:
#
#   py_ensure_venv        # creates or refreshes the venv when the requirements changed; exports PK_PYTHON
#
# The venv lives outside the clone (~/.cache/postkamer/venv-test) so repeated runs reuse it.
# Needs python3 with venv (Debian: python3-venv).

PK_PY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/py" && pwd)
PK_VENV=${PK_VENV:-${HOME:-/root}/.cache/postkamer/venv-test}

py_ensure_venv() {
  local wanted="$PK_PY_DIR/requirements.txt" have="$PK_VENV/requirements.txt"
  if [ -x "$PK_VENV/bin/python" ] && cmp -s "$wanted" "$have"; then
    PK_PYTHON="$PK_VENV/bin/python"
    export PK_PYTHON
    return 0
  fi
  printf '  [python] installing %s into %s\n' "$(grep -Ev '^(#|$)' "$wanted" | tr '\n' ' ')" "$PK_VENV" >&2
  rm -rf "$PK_VENV"
  python3 -m venv "$PK_VENV" || return 1
  "$PK_VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$wanted" || return 1
  cp "$wanted" "$have"
  PK_PYTHON="$PK_VENV/bin/python"
  export PK_PYTHON
}
