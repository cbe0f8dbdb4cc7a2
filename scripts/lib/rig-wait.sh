# shellcheck shell=bash
# Shared by the emulated-machine runners (run-qemu-svm.sh, run-bochs-vmx.sh).
#
# The guest's /init prints RIG_DONE_MARKER as its very last line once every
# suite has finished; the runners wait for it on the serial log. Anything else
# (timeout, kernel panic, emulator exit without the marker) is a failure, and
# the last serial lines are printed so it can be read without opening the log.

RIG_DONE_MARKER='LAMINA-RIG-DONE'
RIG_PANIC_RE='Kernel panic - not syncing|end Kernel panic'
# Lines of a nested guest's console (the linux-boot phase) start with this:
# its panics are test results, not the machine's.
RIG_NESTED_PREFIX='L2| '

# rig_panicked LOG: the machine's own kernel panicked.
rig_panicked() {
	grep -v "^$RIG_NESTED_PREFIX" "$1" 2>/dev/null | grep -Eq "$RIG_PANIC_RE"
}

# RIG_STALL_SECONDS (default 480): a machine whose serial log has not
# grown for that long has stalled, a failure of its own (the Bochs
# machine did, until run-bochs-vmx.sh drained its screen pty); 0 turns the
# check off.
RIG_STALL_SECONDS=${RIG_STALL_SECONDS:-480}

# rig_wait PID SERIAL_LOG TIMEOUT_SECONDS LABEL
# RIG_STALL_PROBE: a command run on a stalled machine before it is killed
# (the runner sets it when it can look inside, e.g. QEMU's monitor).
# Returns 0 when the marker appeared, 3 when the machine stalled, 1 on any
# other failure. Always leaves PID dead.
rig_wait() {
	local pid=$1 log=$2 timeout=$3 label=$4
	local start now verdict="" size last_size=-1 last_change rc=1

	start=$(date +%s)
	last_change=$start
	while :; do
		size=$(stat -c %s "$log" 2>/dev/null || echo 0)
		now=$(date +%s)
		if [ "$size" != "$last_size" ]; then
			last_size=$size
			last_change=$now
		fi
		if [ -f "$log" ] && grep -q "^$RIG_DONE_MARKER" "$log"; then
			verdict=done
		elif [ -f "$log" ] && rig_panicked "$log"; then
			verdict="guest kernel panicked"
		elif ! kill -0 "$pid" 2>/dev/null; then
			# One last look: the marker may have landed just before exit.
			grep -q "^$RIG_DONE_MARKER" "$log" 2>/dev/null && verdict=done ||
				verdict="emulator exited before the guest finished"
		fi
		if [ -z "$verdict" ] && [ $((now - start)) -ge "$timeout" ]; then
			verdict="timeout: guest did not finish within ${timeout} s"
		elif [ -z "$verdict" ] && [ "$RIG_STALL_SECONDS" -gt 0 ] &&
			[ $((now - last_change)) -ge "$RIG_STALL_SECONDS" ]; then
			verdict="stalled: no serial output for ${RIG_STALL_SECONDS} s"
			rc=3
		fi
		[ -n "$verdict" ] && break
		sleep 1
	done

	# A stalled machine is still running: look inside before killing it.
	[ "$rc" = 3 ] && [ -n "${RIG_STALL_PROBE:-}" ] && $RIG_STALL_PROBE >&2
	rig_kill "$pid"
	if [ "$verdict" = done ]; then
		echo "$label: guest finished in $(( $(date +%s) - start )) s"
		return 0
	fi
	echo "$label: FAILED: $verdict" >&2
	echo "$label: last serial lines ($log):" >&2
	tail -n 30 "$log" 2>/dev/null | sed 's/^/  | /' >&2
	grep -v "^$RIG_NESTED_PREFIX" "$log" 2>/dev/null | grep -E "$RIG_PANIC_RE" |
		head -n 1 | sed 's/^/  panic: /' >&2
	# Once more after the serial lines: CI logs are read from the end.
	echo "$label: FAILED: $verdict (the serial lines above end the log)" >&2
	return $rc
}

# rig_kill PID: stop an emulator process (TERM, then KILL after 5 s).
# Runners whose emulator spawns children clean those up themselves.
rig_kill() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
	kill -TERM "$pid" 2>/dev/null
	for i in 1 2 3 4 5; do
		kill -0 "$pid" 2>/dev/null || break
		sleep 1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}
