#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# verify.sh [--update-summary] [--layer NAME]... [OUTDIR]: prove libvmm
# with Frama-C/WP.
#
# One Frama-C run per layer (a layer is one libvmm/*.c file, in the order of
# LIBVMM_SRCS in libvmm/sources.mk, which is dependency order).  A layer's
# run proves its own functions and lemmas; the functions of lower layers it
# calls are used through their contracts, which their own run proves.
#
# Prints "layer <name>: P/T goals proved, S s" per layer and, last,
# "verify: P/T goals proved, U unproved, S s".  Writes into OUTDIR
# (default build/verify): <layer>.log (full Frama-C output),
# proof-summary.txt, results.tap (TAP 13, one test point per layer).
#
# Fails (exit 1) when Frama-C fails or warns for any layer (a parse error
# must never read as success), when any goal is unproved, or when the goal
# counts differ from the committed acsl-specs/proof-summary.txt.
# --update-summary rewrites that file from this run, only if this run
# proved every goal.  --layer NAME (repeatable) proves only those layers
# and skips the comparison with the committed counts: for work on a layer.
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
		sed -n '4,21p' "$0" | sed 's/^# \{0,1\}//'
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

# The layers, from the same list the kernel and the unit tests build.
layers=$(printf 'include %s/libvmm/sources.mk\nall:\n\t@echo $(LIBVMM_SRCS)\n' \
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
	-wp
	# Add run-time-error goals (memory access, overflow, division, shift)
	# to the functional contracts: freedom from undefined behaviour is
	# proved, not assumed.
	-wp-rte
	# Both SMT solvers of the rig, tried per goal after WP's own
	# simplifier (Qed).  Neither dominates: CVC4 closes most goals here,
	# Z3 the few quantifier-heavy ones CVC4 gives up on.  Alt-Ergo is not
	# packaged in Debian 12; cvc5 1.0.3 is unknown to Why3 1.5.1.
	-wp-prover z3,cvc4
	# Per goal and prover.  The slowest goal takes ~5 s on the 2-core CI
	# machine; 30 s leaves a wide margin for a loaded machine, so a
	# proof cannot flip with load.  (-wp-steps would be load-independent
	# but Z3 and CVC4 count steps on unrelated scales.)
	-wp-timeout 30
	# The CI machine has 2 cores.
	-wp-par 2
)

names=()
whys=()
summary_lines=()
all_proved=0
all_total=0
t_start=$(date +%s%N)

for src in $layers; do
	layer=${src%.c}
	layer=${layer##*/}
	log=$outdir/$layer.log
	t0=$(date +%s%N)
	(cd "$outdir" && frama-c "${fc_opts[@]}" "$top/libvmm/$src") >"$log" 2>&1
	rc=$?
	t1=$(date +%s%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')

	# Frama-C 25 ends with "[wp] Proved goals:   P / T".  Exactly one such
	# line must be there; no line means WP never ran (e.g. parse error).
	counts=$(sed -n 's/^\[wp\] Proved goals: *\([0-9][0-9]*\) *\/ *\([0-9][0-9]*\) *$/\1 \2/p' "$log")
	why=
	proved=0
	total=0
	if [ "$rc" -ne 0 ] || [ -z "$counts" ] ||
		[ "$(printf '%s\n' "$counts" | wc -l)" -ne 1 ]; then
		if [ "$rc" -ne 0 ]; then
			why="frama-c exited with status $rc"
		else
			why="no single '[wp] Proved goals' line in the log"
		fi
		# Nothing was proved: count the layer's committed goals as
		# unproved, so the totals cannot look better than they are.
		if [ -f "$summary" ]; then
			total=$(awk -v l="$layer" '$1 == l { split($2, a, "/"); print a[2] + 0 }' "$summary" | head -n 1)
			total=${total:-0}
		fi
	else
		read -r proved total <<<"$counts"
		if [ "$total" -eq 0 ]; then
			why="no goals: nothing was proved"
		elif [ "$proved" -ne "$total" ]; then
			why="$((total - proved)) goals unproved"
		elif grep -q 'Warning' "$log"; then
			# Warnings are errors here (annotation problems, missing
			# specifications, unknown provers): like -Werror.
			why="frama-c warnings"
		fi
	fi

	all_proved=$((all_proved + proved))
	all_total=$((all_total + total))
	summary_lines+=("$layer $proved/$total")
	names+=("$layer")
	whys+=("$why")
	echo "layer $layer: $proved/$total goals proved, $secs s${why:+ ($why, see $log)}"
done

t_end=$(date +%s%N)
total_secs=$(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')

printf '%s\n' "${summary_lines[@]}" >"$outdir/proof-summary.txt"

proofs_ok=1
for why in "${whys[@]}"; do
	[ -z "$why" ] || proofs_ok=0
done

rel=${summary#"$top"/}
if [ "$update" -eq 1 ]; then
	if [ "$proofs_ok" -eq 1 ]; then
		cp "$outdir/proof-summary.txt" "$summary"
		echo "verify: wrote $rel"
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
echo "verify: $all_proved/$all_total goals proved, $((all_total - all_proved)) unproved, $total_secs s"
exit $status
