#!/usr/bin/env bash
# End to end with a real sync engine (docs/sync.md): two Syncthing instances on 127.0.0.1 only
# (no discovery, no relays, no NAT, no usage reports, no upgrades), each syncing one folder; two
# certprep data folders linked to them. The certprep side is the ignored test
# `syncthing_end_to_end` in tests/sync.rs, run with the folders and Syncthing homes in its
# environment. Bounded: Syncthing must answer within 30 s of starting and connect within 30 s,
# the whole run is killed after 240 s; every process started here is stopped on exit. If
# Syncthing cannot start, this fails and says why (its log is printed), it does not hang.
set -euo pipefail
cd "$(dirname "$0")/.."

LIMIT_SECS=${SYNCTHING_E2E_LIMIT_SECS:-240}
if ! command -v syncthing >/dev/null; then
  echo "sync_syncthing: syncthing is not installed (Debian package 'syncthing'; .ci/run installs it)" >&2
  exit 1
fi
syncthing --version

WORK=$(mktemp -d -t certprep-syncthing-XXXXXX)
PIDS=()
cleanup() {
  local code=$?
  for pid in "${PIDS[@]}"; do
    # The test freezes them to force a conflict; a frozen process cannot act on TERM.
    kill -CONT "$pid" 2>/dev/null || true
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    # Give each its moment to exit, then insist.
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$code" -ne 0 ]; then
    for i in 1 2; do
      echo "---- syncthing $i log (last 40 lines) ----" >&2
      tail -n 40 "$WORK/st$i.log" "$WORK/st$i.out" 2>/dev/null >&2 || true
    done
  fi
  if [ -n "${SYNCTHING_E2E_KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$code"
}
trap cleanup EXIT INT TERM

# Four free loopback ports: two for the sync protocol, two for the REST API.
read -r P1 P2 G1 G2 < <(python3 - <<'PY'
import socket
socks = []
for _ in range(4):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(*[s.getsockname()[1] for s in socks])
for s in socks: s.close()
PY
)

export STNODEFAULTFOLDER=1 STNOUPGRADE=1
for i in 1 2; do
  syncthing generate --home="$WORK/h$i" --no-default-folder --skip-port-probing >/dev/null
  mkdir -p "$WORK/f$i/.stfolder" "$WORK/data$i"
done
ID1=$(syncthing serve --home="$WORK/h1" --device-id)
ID2=$(syncthing serve --home="$WORK/h2" --device-id)
KEY=certprep-e2e-$$

write_config() { # home folder listen gui
  cat >"$1/config.xml" <<XML
<configuration version="36">
    <folder id="certprep" label="certprep" path="$2" type="sendreceive" rescanIntervalS="1" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
        <device id="$ID1"></device>
        <device id="$ID2"></device>
        <minDiskFree unit="%">0</minDiskFree>
        <maxConflicts>10</maxConflicts>
    </folder>
    <device id="$ID1" name="one" compression="metadata"><address>tcp://127.0.0.1:$P1</address></device>
    <device id="$ID2" name="two" compression="metadata"><address>tcp://127.0.0.1:$P2</address></device>
    <gui enabled="true" tls="false"><address>127.0.0.1:$4</address><apikey>$KEY</apikey></gui>
    <options>
        <listenAddress>tcp://127.0.0.1:$3</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <startBrowser>false</startBrowser>
        <urAccepted>-1</urAccepted>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <crashReportingEnabled>false</crashReportingEnabled>
        <reconnectionIntervalS>1</reconnectionIntervalS>
        <minHomeDiskFree unit="%">0</minHomeDiskFree>
        <setLowPriority>false</setLowPriority>
    </options>
</configuration>
XML
}
write_config "$WORK/h1" "$WORK/f1" "$P1" "$G1"
write_config "$WORK/h2" "$WORK/f2" "$P2" "$G2"

for i in 1 2; do
  syncthing serve --home="$WORK/h$i" --no-browser --no-restart --no-upgrade \
    --logfile="$WORK/st$i.log" >"$WORK/st$i.out" 2>&1 &
  PIDS+=($!)
done

api() { # gui-port path
  curl -fsS -m 2 -H "X-API-Key: $KEY" "http://127.0.0.1:$1$2"
}
wait_for() { # seconds description command...
  local secs=$1 what=$2; shift 2
  local until=$((SECONDS + secs))
  while ! "$@" >/dev/null 2>&1; do
    for pid in "${PIDS[@]}"; do
      if ! kill -0 "$pid" 2>/dev/null; then
        echo "sync_syncthing: a syncthing process exited while waiting for $what" >&2
        cat "$WORK"/st*.out >&2 || true
        exit 1
      fi
    done
    if [ $SECONDS -ge $until ]; then
      echo "sync_syncthing: $what did not happen within ${secs}s" >&2
      exit 1
    fi
    sleep 0.5
  done
}
connected() { api "$G1" /rest/system/connections | grep -q '"connected": *true'; }
wait_for 30 "syncthing 1 answering on 127.0.0.1:$G1" api "$G1" /rest/system/ping
wait_for 30 "syncthing 2 answering on 127.0.0.1:$G2" api "$G2" /rest/system/ping
wait_for 30 "the two syncthing instances connecting on 127.0.0.1" connected
echo "sync_syncthing: two syncthing instances connected on 127.0.0.1 ($P1, $P2)"

export CERTPREP_E2E_FOLDER_A="$WORK/f1" CERTPREP_E2E_FOLDER_B="$WORK/f2"
export CERTPREP_E2E_DATA_A="$WORK/data1" CERTPREP_E2E_DATA_B="$WORK/data2"
export CERTPREP_E2E_PIDS="${PIDS[*]}"
timeout --kill-after=10 "$LIMIT_SECS" \
  cargo test --test sync -- --ignored --exact e2e::syncthing_end_to_end --nocapture
