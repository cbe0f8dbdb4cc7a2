# Turn a guest's raw TAP (the kselftest runner's nested output plus /init's
# own steps) into one flat TAP 13 list of leaf test points, renumbered, so
# results from kvm.ko and lamina.ko can be compared line by line.
#
# A program that failed without reporting a failing test point (crash,
# timeout, bad plan) still becomes one "not ok" leaf: nothing is lost.

function emit(status, name) {
	n++
	out[n] = status " " n " " name
}

/^# (not )?ok [0-9]+ / {
	line = substr($0, 3)
	status = (line ~ /^not ok/) ? "not ok" : "ok"
	sub(/^(not )?ok [0-9]+ /, "", line)
	emit(status, line)
	leaves++
	if (status == "not ok")
		leaf_fail++
	next
}

/^(not )?ok [0-9]+ selftests: / {
	status = ($0 ~ /^not ok/) ? "not ok" : "ok"
	# "ok 3 selftests: lamina: PROG DEV[ # directive]"
	rest = $0
	sub(/^(not )?ok [0-9]+ selftests: [^:]*: /, "", rest)
	directive = ""
	if (index(rest, " # ")) {
		directive = substr(rest, index(rest, " # "))
		rest = substr(rest, 1, index(rest, " # ") - 1)
	}
	split(rest, f, " ")
	dev = f[2]
	sub(/.*\//, "", dev)
	name = f[1] "/" dev
	if (leaves == 0)
		emit(status, name directive)
	else if (status == "not ok" && leaf_fail == 0)
		emit("not ok", name directive)
	leaves = 0
	leaf_fail = 0
	next
}

/^(not )?ok [0-9]+ / {
	status = ($0 ~ /^not ok/) ? "not ok" : "ok"
	line = $0
	sub(/^(not )?ok [0-9]+ /, "", line)
	emit(status, line)
	next
}

END {
	print "TAP version 13"
	print "1.." n
	for (i = 1; i <= n; i++)
		print out[i]
}
