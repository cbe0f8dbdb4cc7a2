# SPDX-License-Identifier: GPL-2.0-only
# The control daemon's core: RPC, domains, XML, state. Everything but the
# event loop (daemon.c), so the host unit tests and the fuzzers
# (tests/vmmd/) build the same files the daemon runs.
CTL_SRCS := xdr.c rpc.c rpc_args.c rpc_table.c proc_host.c proc_query.c \
	proc_change.c verr.c domain.c domxml_parse.c domxml_devices.c \
	domxml_util.c domxml_format.c domxml_host.c ctl.c store.c hostinfo.c \
	vmctl.c vmkeep.c console.c conlog.c vmmsg.c vmchan.c tapdev.c
