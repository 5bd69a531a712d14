#!/usr/bin/env bash
# Where the window's memory goes: runs the release binary under Xvfb on a bank folder, waits
# for it to settle, and prints peak RSS and the resident size of each mapping (from
# /proc/PID/smaps). Used for the RSS row of docs/PERFORMANCE.md.
#   bash benches/rss.sh /tmp/b10k          # the generated 10k bank (see PERFORMANCE.md)
#   bash benches/rss.sh question-banks     # the shipped banks
# Needs: Xvfb (apt-get install -y --no-install-recommends xvfb) and a release build.
set -euo pipefail
banks=${1:?usage: rss.sh BANK_FOLDER}
bin=${BIN:-target/release/certprep}
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
data=$(mktemp -d)
trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$data"' EXIT
sleep 1
DISPLAY=$display CERTPREP_DATA_DIR=$data "$bin" --banks "$banks" &
app=$!
sleep "${SETTLE:-6}"
grep -E "VmHWM|VmRSS|RssAnon|RssFile|RssShmem" "/proc/$app/status"
echo "resident by mapping (> 1 MB):"
awk '/^[0-9a-f]+-[0-9a-f]+ /{name=$6; if (name=="") name="[anonymous]"}
     /^Rss:/{rss[name]+=$2}
     END{for (n in rss) if (rss[n] > 1024) printf "%8.1f MB  %s\n", rss[n]/1024, n}' \
    "/proc/$app/smaps" | sort -rn
