#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# verify.sh [--update-summary] [--layer NAME]... [OUTDIR]: prove libvmm
# with Frama-C/WP.
#
# A layer is one libvmm/*.c file, in the order of LIBVMM_SRCS in
# libvmm/sources.mk (dependency order).  A layer's goals are its own
# functions' contracts and RTE goals and its lemmas; the functions of lower
# layers it calls are used through their contracts, which their own layer
# proves.  Each layer is split into jobs, one Frama-C run each: one per
# function defined in the layer (-wp-fct), except that the functions that
# cost under 2 s share one run (@small), and one for its lemmas (-wp-prop
# @lemma).  The jobs of all layers run four at a time (VERIFY_JOBS=N to
# change), most expensive first (acsl-specs/proof-cost.txt).
#
# Prints "layer <name>: P/T goals proved, W s wall, C s CPU" per layer (W:
# the sum of the wall times of the layer's jobs; C: their user+sys CPU,
# Frama-C and provers, the figure that does not depend on the machine's
# load), then a line with the total CPU seconds and, last, "verify: P/T
# goals proved, U unproved, S s" (wall seconds of the whole run).  Writes
# into OUTDIR (default build/verify): <layer>.log (the Frama-C output of
# all its jobs), <layer>/<job>.log, proof-summary.txt, proof-cost.txt,
# results.tap (TAP 13, one test point per layer).
#
# Fails (exit 1) when Frama-C fails or warns in any job (a parse error
# must never read as success), when any goal is unproved, or when the goal
# counts differ from the committed acsl-specs/proof-summary.txt.
# --update-summary rewrites that file (and proof-cost.txt) from this run,
# only if this run proved every goal.  --layer NAME (repeatable) proves
# only those layers and skips the comparison with the committed counts:
# for work on a layer.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
summary=$top/acsl-specs/proof-summary.txt
update=0
outdir=
only=()

while [ $# -gt 0 ]; do
	arg=$1
	shift
	case $arg in
	--update-summary) update=1 ;;
	--layer)
		[ $# -gt 0 ] || { echo "verify: --layer needs a name" >&2; exit 2; }
		only+=("$1")
		shift
		;;
	-h | --help)
		sed -n '4,32p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	-*) echo "verify: unknown option $arg" >&2; exit 2 ;;
	*)
		[ -z "$outdir" ] || { echo "verify: one OUTDIR only" >&2; exit 2; }
		outdir=$arg
		;;
	esac
done
outdir=${outdir:-$top/build/verify}
mkdir -p "$outdir" || exit 2
outdir=$(cd "$outdir" && pwd)

die() {
	echo "verify: $*" >&2
	exit 2
}

command -v frama-c >/dev/null 2>&1 || die "frama-c not found (make deps)"
command -v why3 >/dev/null 2>&1 || die "why3 not found (make deps)"

# WP reaches the SMT solvers through Why3, which needs its prover list.  A
# fresh CI machine has none: detect the installed provers once.
why3conf=${WHY3CONFIG:-$HOME/.why3.conf}
if [ ! -f "$why3conf" ]; then
	echo "verify: no $why3conf, running 'why3 config detect'"
	why3 config detect >"$outdir/why3-detect.log" 2>&1 ||
		die "why3 config detect failed, see $outdir/why3-detect.log"
fi

# Frama-C's task loop polls the provers every 50 ms; scripts/wp-poll.ml
# makes it every 2 ms (scheduling only, see that file: about a third of
# every job's wall time was this sleep).  Compiled once per run against
# the installed Frama-C (ocamlfind, ocamlopt: make deps); -load-module
# given the .ml itself would recompile it in every job, beside the source,
# with the jobs racing on the same output file.  Without a compiler the
# run goes on at the default polling: slower, same proofs.
poll_opts=()
poll_dir=$outdir/wp-poll
rm -rf "$poll_dir"
mkdir -p "$poll_dir" && cp "$top/scripts/wp-poll.ml" "$poll_dir/" || die "cannot write $poll_dir"
if fclib=$(frama-c -print-libpath 2>/dev/null) &&
	(cd "$poll_dir" && ocamlfind ocamlopt -shared -w -a -I "$fclib" \
		-o wp-poll.cmxs wp-poll.ml) >"$poll_dir/build.log" 2>&1; then
	poll_opts=(-load-module "$poll_dir/wp-poll.cmxs")
else
	echo "verify: cannot compile scripts/wp-poll.ml (see $poll_dir/build.log): default 50 ms prover polling, slower"
fi

# The layers, from the same list the kernel and the unit tests build.
# LIBVMM_USER_SRCS (userspace-only layers, not in the module) come after
# them: proved and counted the same way.
layers=$(printf 'include %s/libvmm/sources.mk\nall:\n\t@echo $(LIBVMM_SRCS) $(LIBVMM_USER_SRCS)\n' \
	"$top" | make --no-print-directory -s -f -) ||
	die "cannot read LIBVMM_SRCS from libvmm/sources.mk"
[ -n "$layers" ] || die "LIBVMM_SRCS in libvmm/sources.mk is empty"
pending=$(printf 'include %s/libvmm/sources.mk\nall:\n\t@echo $(LIBVMM_PENDING_SRCS)\n' \
	"$top" | make --no-print-directory -s -f -)
if [ ${#only[@]} -gt 0 ]; then
	[ "$update" -eq 0 ] || die "--update-summary needs every layer, not --layer"
	picked=
	for name in "${only[@]}"; do
		[ -f "$top/libvmm/$name.c" ] || die "no layer $name (libvmm/$name.c)"
		picked="$picked $name.c"
	done
	layers=$picked
fi

# Pinned analysis options.  Changing any of them can change the goal count
# in acsl-specs/proof-summary.txt; update it in the same commit.
#
# Timings below: CPU seconds (user+sys of frama-c and its provers), the
# load-independent measure; wall times on the shared 2-core machine varied
# 2-5x with other engineers' emulators.  Per-layer figures: see
# docs/verification.md "Timing".
fc_opts=(
	# The kernel and userspace are both LP64 x86-64: sizes of the vmm_u*
	# types and of long, and the alignment rules, come from this machdep.
	-machdep x86_64
	# libvmm/include for the code; acsl-specs/ for the ACSL models that
	# the headers include under __FRAMAC__.  -nostdinc: libvmm uses no
	# system header, so none may be reachable here either.
	-cpp-extra-args="-nostdinc -I$top/libvmm/include -I$top/acsl-specs"
	# libvmm's rule is that no arithmetic wraps.  C defines unsigned
	# wraparound, so RTE ignores it by default; these make every unsigned
	# overflow and every narrowing conversion a goal as well.
	-warn-unsigned-overflow
	-warn-unsigned-downcast
)
# Options of the WP runs (given after the source file; both passes).
timeout=60
wp_opts=(
	-wp
	# Add run-time-error goals (memory access, overflow, division, shift)
	# to the functional contracts: freedom from undefined behaviour is
	# proved, not assumed.
	-wp-rte
	# Never reuse or write a WP cache, whatever FRAMAC_WP_CACHE says: every
	# goal is proved by a prover run in this run (the default is 'none'
	# but the environment variable could change it).
	-wp-cache none
	# Per goal and prover, in wall time (CVC4's --tlimit, Z3's -T): a
	# goal's time grows with the machine's load.  The slowest goal takes
	# ~10 s of CPU on the loaded 2-core machine (vmcs, vmx__check_nonreg,
	# before -wp-no-let); at 30 s, a rehearsal with two helpers' builds
	# and emulators beside it (load 5-7 on 2 cores, 2026-12-07) lost 4
	# goals to the timeout (ptable map, walk step, virtq pop) that every
	# quiet run proves well inside 30 s.  60 s costs nothing when the machine is
	# quiet: no goal the provers close takes that long, and the goals
	# pass 1 leaves to pass 2 fail at once or have their own 10 s
	# (below).  CVC4 runs into it on 2 mmio goals that Z3 proves in
	# ~1 s: for those two jobs pass 1 has 10 s (job_opts below).
	# (-wp-steps would be load-independent but Z3 and CVC4 count steps on
	# unrelated scales.)
	-wp-timeout "$timeout"
	# One prover at a time per job.  Frama-C's own goal generation is
	# serial, so one job uses about one core whatever -wp-par says; two
	# jobs at a time x 1 prover fill the 2 cores.
	-wp-par 1
	# Qed's pruning of trivial branches: without it, the same goals cost
	# less in total (mmio__decode, CVC4 pass: 44.6 -> 11.7 s of Qed and
	# generation; svm__check_save 9.1 -> 3.6 s; no effect with -wp-no-let).
	-wp-no-pruning
)
# Two passes per job, in one Frama-C process (-then keeps the goals and
# results).  Pass 1: CVC4 alone.  It proves all but a handful of the
# goals; given both provers at once, WP races them on every goal and the
# loser burns CPU until cancelled (memslot: 45 s CPU with "z3,cvc4", 21 s
# with cvc4).  Pass 2: Z3 on what pass 1 left (WP re-selects only
# properties whose status is not yet valid, -wp-status-maybe).  CVC4 alone
# proves every goal but 4 (memslot 1: "unknown" at once; bitmap 1, mmio 2:
# timeout); Z3 closes those.  Alt-Ergo is not packaged in Debian 12; cvc5
# 1.0.3 is unknown to Why3 1.5.1.
#
# Per-job exceptions ("layer/function", or "layer" for all its jobs),
# each measured (CPU s of the job, docs/verification.md "Timing"):
# job_opts adds WP options to pass 1 (-wp-timeout is reset for pass 2);
# job_provers swaps the provers of the passes ("z3 cvc4": Z3 first, CVC4
# on what is left).
#  - -wp-no-let turns off Qed's variable elimination, which on the long
#    if/else-if rule chains of vmcs and inject (and two ptable functions)
#    costs far more than the provers then spend without it: vmcs 182 ->
#    88 s, inject 106 -> 38 s.  Elsewhere it is slower (memslot lookup 8
#    -> 37 s), and on vmm_mmio_decode/mmio__decode CVC4 and Z3 then fail
#    goals they prove with it.  Same goals either way: only Qed's
#    preprocessing differs.
#  - vmm_bitmap_vmx_io_intercepted: CVC4 times out on a loop invariant
#    (30 s); Z3 first proves the whole function in ~5 s.
#  - vmm_mmio_decode, mmio__decode: CVC4 times out on one goal each,
#    which Z3 proves in ~1 s; Z3 first fails others.  Pass 1 gets 10 s
#    per goal (the slowest goal CVC4 proves there takes 1.5 s idle, 2.9 s
#    loaded), pass 2 the usual 30 s.
declare -A job_opts=(
	[mmio/vmm_mmio_decode]="-wp-timeout 10"
	[mmio/mmio__decode]="-wp-timeout 10"
	[ptable/ptable__map_leaf]=-wp-no-let
	[ptable/vmm_ptable_lookup]=-wp-no-let
	[vmcs]=-wp-no-let
	[inject]=-wp-no-let
)
declare -A job_provers=(
	[bitmap/vmm_bitmap_vmx_io_intercepted]="z3 cvc4"
)

# Four jobs on two cores: a job is on the CPU only ~60% of its wall time
# (process starts, Why3 and prover round trips), so two jobs left the
# cores a third idle. On the idle 2-core machine: 2 jobs 352.9 s wall,
# 4 jobs 230.3 s, the same ~410 s CPU.
jobs=${VERIFY_JOBS:-4}
cost=$top/acsl-specs/proof-cost.txt
# A function whose committed cost is under this many CPU seconds is proved
# in one Frama-C run with the layer's other small functions (job @small,
# -wp-fct F1,F2,...) instead of a run of its own: a run costs ~0.25 s of
# CPU before its first goal (preprocessing, parsing, typing, Why3 setup),
# and 107 of the 162 functions cost under 2 s each.  The split changes
# no goal (the per-layer counts are compared as before); 2 s keeps every
# group under ~20 s, below the largest single jobs, so that most
# expensive first still schedules well.
small_cpu=2.0

names=()
whys=()
summary_lines=()
cost_lines=()
all_proved=0
all_total=0
t_start=$(date +%s%N)

# The proof jobs.  A layer's goals are split into one job per function
# defined in the layer, the small ones grouped in @small (-wp-fct NAME: that function's contract, its RTE
# goals and the preconditions of the calls it makes) and one job for the
# layer's lemmas (-wp-prop @lemma, proved once per layer).  The functions
# come from Frama-C itself (the "Defined functions" list of -metrics), not
# from a committed list, so a new function cannot be left out; the
# per-layer goal count, compared with the committed summary, checks that
# the jobs together cover every goal.  Writes <layer>.jobs (job names;
# @small's functions in <layer>.small).
list_jobs() {
	local src=$1 layer=$2
	(cd "$outdir" && frama-c "${fc_opts[@]}" "$top/libvmm/$src" -metrics \
		>"$outdir/$layer.metrics" 2>&1) || return 1
	awk '
		/^\[metrics\] Defined functions \([0-9]+\)/ { on = 1; next }
		on && /^ *$/ { exit }
		on && /^ *=+ *$/ { next }
		on {
			n = split($0, f, ";")
			for (i = 1; i <= n; i++) {
				w = f[i]
				sub(/^ +/, "", w)
				sub(/ .*/, "", w)
				if (w ~ /^[A-Za-z_][A-Za-z_0-9]*$/) print w
			}
		}' "$outdir/$layer.metrics" >"$outdir/$layer.fcts"
	n=$(sed -n 's/^\[metrics\] Defined functions (\([0-9]*\)).*/\1/p' "$outdir/$layer.metrics")
	[ -n "$n" ] && [ "$(wc -l <"$outdir/$layer.fcts")" -eq "$n" ] || return 1
	# The small functions (committed cost under $small_cpu s, no tuning of
	# their own) go into one job, @small; every other function, and one
	# not yet in proof-cost.txt, is a job of its own.
	local f c
	: >"$outdir/$layer.small"
	: >"$outdir/$layer.alone"
	while read -r f; do
		c=
		[ -f "$cost" ] &&
			c=$(awk -v l="$layer" -v f="$f" '$1 == l && $2 == f { print $3; exit }' "$cost")
		if [ -n "$c" ] && [ -z "${job_opts[$layer/$f]:-}" ] &&
			[ -z "${job_provers[$layer/$f]:-}" ] &&
			awk -v c="$c" -v m="$small_cpu" 'BEGIN { exit !(c < m) }'; then
			echo "$f" >>"$outdir/$layer.small"
		else
			echo "$f" >>"$outdir/$layer.alone"
		fi
	done <"$outdir/$layer.fcts"
	# A group of one is just a job.
	if [ "$(wc -l <"$outdir/$layer.small")" -lt 2 ]; then
		cat "$outdir/$layer.small" >>"$outdir/$layer.alone"
		: >"$outdir/$layer.small"
	fi
	{
		echo "@lemma"
		[ ! -s "$outdir/$layer.small" ] || echo "@small"
		cat "$outdir/$layer.alone"
	} >"$outdir/$layer.jobs"
}

# One job: Frama-C with both passes, timed (wall and CPU).  Writes
# <layer>/<job>.{log,rc,cpu,wall}; the job of the lemmas is "lemmas".
prove_job() {
	local src=$1 layer=$2 what=$3 file sel t0 t1
	if [ "$what" = "@lemma" ]; then
		file=lemmas
		sel=(-wp-prop @lemma)
	elif [ "$what" = "@small" ]; then
		file=small
		sel=(-wp-fct "$(paste -s -d, "$outdir/$layer.small")")
	else
		file=$what
		sel=(-wp-fct "$what")
	fi
	local base=$outdir/$layer/$file
	# Per-job tuning (see job_opts and job_provers above).
	local extra=() p1=cvc4 p2=z3
	if [ -n "${job_opts[$layer/$what]:-}" ]; then
		read -r -a extra <<<"${job_opts[$layer/$what]}"
	elif [ -n "${job_opts[$layer]:-}" ]; then
		read -r -a extra <<<"${job_opts[$layer]}"
	fi
	[ -z "${job_provers[$layer/$what]:-}" ] || read -r p1 p2 <<<"${job_provers[$layer/$what]}"
	# Pass 2's prover list is written "-P1,P2" (drop P1, add P2): a plain
	# "-wp-prover P2" after -then adds P2 to pass 1's list, and pass 2
	# then ran P1 again, up to the full timeout, on every goal P1 had
	# already failed before Z3 got it (mmio__decode, vmm_mmio_decode: 30 s
	# of CVC4 each, measured by the provers' command lines).
	local then=(-then -wp "${sel[@]}" -wp-timeout "$timeout" -wp-prover="-$p1,$p2")
	# Lemmas: WP re-selects every lemma in a -then pass, proved or not, and
	# proves them all again.  Their pass 2 is a second Frama-C run, only
	# when pass 1 left a lemma unproved.
	[ "$what" != "@lemma" ] || then=()
	rm -f "$base.rc"
	t0=$(date +%s%N)
	# The selection is repeated after -then: WP forgets -wp-fct/-wp-prop
	# between passes, and pass 2 would otherwise redo the whole layer.
	# -wp-timeout is repeated because a job's pass-1 options may lower it.
	(cd "$outdir" && TIMEFORMAT='%U %S' &&
		{ time {
			frama-c "${poll_opts[@]}" "${fc_opts[@]}" "$top/libvmm/$src" \
				"${wp_opts[@]}" "${extra[@]}" "${sel[@]}" \
				-wp-prover "$p1" "${then[@]}" >"$base.log" 2>&1
			rc=$?
			if [ "$what" = "@lemma" ] && [ "$rc" -eq 0 ] &&
				grep '^\[wp\] \[[^]]*\] Goal ' "$base.log" | grep -qv ' : Valid'; then
				frama-c "${poll_opts[@]}" "${fc_opts[@]}" "$top/libvmm/$src" \
					"${wp_opts[@]}" "${sel[@]}" -wp-prover "$p2" \
					>>"$base.log" 2>&1
				rc=$?
			fi
			echo "rc $rc" >"$base.rc"
		}; } 2>"$base.cpu")
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }' \
		>"$base.wall"
}

# List every layer's jobs (one cheap Frama-C parse per layer).
list_failed=
for src in $layers; do
	layer=${src%.c}
	layer=${layer##*/}
	rm -rf "${outdir:?}/$layer"
	mkdir -p "$outdir/$layer"
	rm -f "$outdir/$layer.jobs"
	list_jobs "$src" "$layer" || list_failed="$list_failed $layer"
done

# Run the jobs, at most $jobs at a time, most expensive first (committed
# CPU seconds per job in acsl-specs/proof-cost.txt; a job not in it is
# taken as expensive, so it starts early), then report per layer in
# LIBVMM_SRCS order.
order=$(for src in $layers; do
	layer=${src%.c}
	layer=${layer##*/}
	[ -f "$outdir/$layer.jobs" ] || continue
	while read -r what; do
		c=
		[ -f "$cost" ] &&
			c=$(awk -v l="$layer" -v f="$what" '$1 == l && $2 == f { print $3; exit }' "$cost")
		# @small not measured yet: the sum of its functions' costs.
		[ -n "$c" ] || [ "$what" != "@small" ] ||
			c=$(awk -v l="$layer" 'NR == FNR { in_[$1] = 1; next }
				$1 == l && ($2 in in_) { s += $3 } END { print s + 0 }' \
				"$outdir/$layer.small" "$cost")
		echo "${c:-1000} $src $what"
	done <"$outdir/$layer.jobs"
done | sort -k1,1 -g -r -s | awk '{ print $2 "," $3 }')
running=0
for job in $order; do
	src=${job%%,*}
	layer=${src%.c}
	layer=${layer##*/}
	prove_job "$src" "$layer" "${job#*,}" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

# The verdict of one job's log: "P T seen unproved why".  Frama-C 25 ends
# each WP pass with "[wp] Proved goals:   P / T" (pass 2 prints none when
# it has nothing to do).  Pass 1 must print exactly one: no line means WP
# never ran (e.g. parse error); the one exception is a layer without
# lemmas, whose lemma job has no goal at all.  The final status of a goal
# is its last "[wp] [Prover] Goal NAME : Status" line; every goal of pass 1
# must have one and end Valid.
job_verdict() {
	awk -v lemmas="$2" '
		/^\[wp\] Running WP plugin/ { pass++ }
		/^\[wp\] Proved goals:/ && pass == 1 {
			n++; p = $4; t = $6
		}
		/^\[wp\] Warning: No goal generated$/ && pass == 1 { nogoal++ }
		/^\[wp\] \[[^]]*\] Goal / {
			name = $0
			sub(/^\[wp\] \[[^]]*\] Goal /, "", name)
			st = name
			sub(/ .*/, "", name)
			if (st ~ / : Valid/) ok[name] = 1; else ok[name] = 0
			if (pass == 1) seen[name] = 1
		}
		END {
			s = 0; u = 0
			for (g in seen) { s++; if (!ok[g]) u++ }
			if (n == 0 && lemmas && nogoal == 1 && s == 0) {
				print "0 0 0 0 ok"
			} else if (n != 1) {
				print "0 0 0 0 no-proved-line"
			} else {
				printf "%d %d %d %d %s\n", t - u, t, s, u, (nogoal ? "nogoal" : "ok")
			}
		}' "$1"
}

cpu_total=0
for src in $layers; do
	layer=${src%.c}
	layer=${layer##*/}
	log=$outdir/$layer.log
	why=
	proved=0
	total=0
	secs=0
	cpu=0
	: >"$log"
	if [ ! -f "$outdir/$layer.jobs" ]; then
		why="cannot list the functions of $src (see $outdir/$layer.metrics)"
		cp "$outdir/$layer.metrics" "$log" 2>/dev/null
	else
		while read -r what; do
			file=$what
			[ "$what" = "@lemma" ] && file=lemmas
			[ "$what" = "@small" ] && file=small
			base=$outdir/$layer/$file
			{ echo "==== $layer $what"; cat "$base.log" 2>/dev/null; } >>"$log"
			rc=$(sed -n 's/^rc //p' "$base.rc" 2>/dev/null)
			rc=${rc:-1}
			w=$(cat "$base.wall" 2>/dev/null || echo 0)
			c=$(awk '{ printf "%.1f", $1 + $2 }' "$base.cpu" 2>/dev/null)
			c=${c:-0}
			secs=$(awk -v a="$secs" -v b="$w" 'BEGIN { printf "%.1f", a + b }')
			cpu=$(awk -v a="$cpu" -v b="$c" 'BEGIN { printf "%.1f", a + b }')
			cost_lines+=("$layer $what $c")
			# The functions of @small: its CPU seconds split evenly (only
			# to keep them in the group; see proof-cost.txt's header).
			[ "$what" != "@small" ] || while read -r f; do
				cost_lines+=("$layer $f $(awk -v c="$c" -v n="$(wc -l <"$outdir/$layer.small")" \
					'BEGIN { printf "%.1f", c / n }')")
			done <"$outdir/$layer.small"
			read -r jp jt js ju jst <<<"$(job_verdict "$base.log" "$([ "$what" = "@lemma" ] && echo 1 || echo 0)")"
			jwhy=
			if [ "$rc" -ne 0 ]; then
				jwhy="frama-c exited with status $rc"
			elif [ "$jst" = "no-proved-line" ]; then
				jwhy="no single '[wp] Proved goals' line in pass 1"
			elif [ "$jst" = "nogoal" ] || { [ "$jt" -eq 0 ] && [ "$what" != "@lemma" ]; }; then
				jwhy="no goals: nothing was proved"
			elif [ "$js" -ne "$jt" ]; then
				jwhy="$js goal lines for $jt goals: cannot tell what was proved"
				jp=0
			elif [ "$jp" -ne "$jt" ]; then
				jwhy="$((jt - jp)) goals unproved"
			elif grep 'Warning' "$base.log" | grep -qv '^\[wp\] Warning: No goal generated$'; then
				# Warnings are errors here (annotation problems, missing
				# specifications, unknown provers): like -Werror.  The
				# exceptions: pass 2 finding nothing left to prove, and
				# the lemma job of a layer without lemmas.
				jwhy="frama-c warnings"
			fi
			proved=$((proved + jp))
			total=$((total + jt))
			[ -z "$jwhy" ] || why="${why:+$why; }$what: $jwhy"
		done <"$outdir/$layer.jobs"
	fi
	# A job that could not run proved nothing: count at least the layer's
	# committed goals as its total, so the totals cannot look better than
	# they are.
	if [ -n "$why" ] && [ -f "$summary" ]; then
		committed=$(awk -v l="$layer" '$1 == l { split($2, a, "/"); print a[2] + 0 }' "$summary" | head -n 1)
		[ "${committed:-0}" -le "$total" ] || total=$committed
	fi
	cpu_total=$(awk -v a="$cpu_total" -v b="$cpu" 'BEGIN { printf "%.1f", a + b }')

	all_proved=$((all_proved + proved))
	all_total=$((all_total + total))
	summary_lines+=("$layer $proved/$total")
	names+=("$layer")
	whys+=("$why")
	echo "layer $layer: $proved/$total goals proved, $secs s wall, $cpu s CPU${why:+ ($why, see $log)}"
done

t_end=$(date +%s%N)
total_secs=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')

printf '%s\n' "${summary_lines[@]}" >"$outdir/proof-summary.txt"
# This run's CPU seconds per job, most expensive first: with
# --update-summary it becomes acsl-specs/proof-cost.txt, the order in which
# later runs start the jobs.
{
	echo "# <layer> <function, @lemma or @small> <CPU s>: written by scripts/verify.sh --update-summary;"
	echo "# verify.sh starts the most expensive jobs first.  @small: the layer's functions under"
	echo "# 2 s, proved in one run; each of them is listed with an even share of its CPU s."
	printf '%s\n' "${cost_lines[@]}" | sort -k3,3 -g -r -s
} >"$outdir/proof-cost.txt"

proofs_ok=1
for why in "${whys[@]}"; do
	[ -z "$why" ] || proofs_ok=0
done

rel=${summary#"$top"/}
if [ "$update" -eq 1 ]; then
	if [ "$proofs_ok" -eq 1 ]; then
		cp "$outdir/proof-summary.txt" "$summary"
		echo "verify: wrote $rel"
		# The scheduling order of the next runs (only an order: no
		# proof depends on it).
		cp "$outdir/proof-cost.txt" "$cost"
		echo "verify: wrote ${cost#"$top"/}"
	else
		echo "verify: not updating $rel: this run has failures" >&2
	fi
fi

# Compare with the committed counts: per layer (for the TAP point) and as a
# whole file (also catches layers added, removed or reordered).
status=0
[ "$proofs_ok" -eq 1 ] || status=1
if [ ${#only[@]} -gt 0 ]; then
	: # a partial run has nothing to compare with the committed counts
elif [ ! -f "$summary" ]; then
	echo "verify: no committed $rel; create it with scripts/verify.sh --update-summary" >&2
	status=1
elif ! diff -u --label "committed $rel" --label "this run" \
	"$summary" "$outdir/proof-summary.txt" >"$outdir/proof-summary.diff"; then
	echo "verify: goal counts differ from $rel:" >&2
	cat "$outdir/proof-summary.diff" >&2
	echo "verify: if the change is intended (goals added or removed), run scripts/verify.sh --update-summary and commit $rel with it" >&2
	status=1
fi
for i in "${!names[@]}"; do
	[ -z "${whys[$i]}" ] && [ ${#only[@]} -eq 0 ] || continue
	committed=
	[ -f "$summary" ] &&
		committed=$(awk -v l="${names[$i]}" '$1 == l { print $2; exit }' "$summary")
	if [ -z "$committed" ]; then
		whys[i]="no goal count committed in $rel"
	elif [ "${names[$i]} $committed" != "${summary_lines[$i]}" ]; then
		whys[i]="goal count ${summary_lines[$i]#* } differs from committed $committed"
	fi
done

# TAP 13, one test point per layer; a failure carries a YAML block with
# the reason and the failing goals, warnings and errors (at most 20 lines).
{
	echo "TAP version 13"
	echo "1..${#names[@]}"
	for i in "${!names[@]}"; do
		n=$((i + 1))
		if [ -z "${whys[$i]}" ]; then
			echo "ok $n verify/${names[$i]}"
			continue
		fi
		log=$outdir/${names[$i]}.log
		echo "not ok $n verify/${names[$i]}"
		echo "  ---"
		echo "  message: \"${whys[$i]//\"/\'}\""
		echo "  log: \"$log\""
		mapfile -t bad < <(grep -E '^\[wp\] \[(Failed|Timeout|Unknown|Stepout)\]|Warning|[Ee]rror' "$log" | head -n 20)
		if [ "${#bad[@]}" -gt 0 ]; then
			echo "  details:"
			for line in "${bad[@]}"; do
				line=${line//\\/\\\\}
				echo "    - \"${line//\"/\\\"}\""
			done
		fi
		echo "  ..."
	done
} >"$outdir/results.tap"

for i in "${!names[@]}"; do
	if [ -n "${whys[$i]}" ]; then
		echo "verify: FAILED ${names[$i]}: ${whys[$i]}" >&2
		status=1
	fi
done

# Compiled in, not yet proved: say so every time, never count it as proved.
[ -z "$pending" ] || echo "verify: NOT PROVED, not counted (LIBVMM_PENDING_SRCS): $pending"
echo "verify: CPU time (user+sys, Frama-C and provers): $cpu_total s"
# The last line, in the shape CI and the issue tracker read.
echo "verify: $all_proved/$all_total goals proved, $((all_total - all_proved)) unproved, $total_secs s"
exit $status
