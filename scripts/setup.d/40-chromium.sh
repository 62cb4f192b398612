# Sourced by scripts/test.sh. The HTML report test (crates/cli/tests/html_report.rs) opens the
# report in a real browser: Debian's headless-capable `chromium`. It reads RAMPART_TEST_CHROMIUM.
if [ -z "${RAMPART_TEST_CHROMIUM:-}" ]; then
  if apt_install chromium && [ -x /usr/bin/chromium ]; then
    export RAMPART_TEST_CHROMIUM=/usr/bin/chromium
  else
    echo "scripts/setup.d/40-chromium.sh: no chromium; the HTML browser test will fail unless RAMPART_SKIP_LIVE=1" >&2
  fi
fi
