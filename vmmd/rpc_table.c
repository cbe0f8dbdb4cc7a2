// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every procedure lamina serves, by number (libvirt's remote_protocol.x),
 * with its permission beside it: Q = may be called on a read-only
 * connection (it changes nothing), P = part of the handshake, allowed
 * before CONNECT_OPEN. Anything else needs a read-write connection.
 * Sorted by number; the unit test checks that.
 */
#include <stddef.h>

#include "rpc_dispatch.h"

#define Q RPC_QUERY
#define P RPC_PRE_OPEN
#define RW 0U

static const struct rpc_proc procs[] = {
	{ 1, "CONNECT_OPEN", Q | P, proc_connect_open },
	{ 2, "CONNECT_CLOSE", Q, proc_connect_close },
	{ 3, "CONNECT_GET_TYPE", Q, proc_get_type },
	{ 4, "CONNECT_GET_VERSION", Q, proc_get_version },
	{ 5, "CONNECT_GET_MAX_VCPUS", Q, proc_get_max_vcpus },
	{ 6, "NODE_GET_INFO", Q, proc_node_get_info },
	{ 9, "DOMAIN_CREATE", RW, proc_create },
	{ 10, "DOMAIN_CREATE_XML", RW, proc_create_xml },
	{ 11, "DOMAIN_DEFINE_XML", RW, proc_define_xml },
	{ 12, "DOMAIN_DESTROY", RW, proc_destroy },
	{ 14, "DOMAIN_GET_XML_DESC", Q, proc_get_xml_desc },
	{ 15, "DOMAIN_GET_AUTOSTART", Q, proc_get_autostart },
	{ 16, "DOMAIN_GET_INFO", Q, proc_get_info },
	{ 17, "DOMAIN_GET_MAX_MEMORY", Q, proc_get_max_memory },
	{ 19, "DOMAIN_GET_OS_TYPE", Q, proc_get_os_type },
	{ 22, "DOMAIN_LOOKUP_BY_ID", Q, proc_lookup_by_id },
	{ 23, "DOMAIN_LOOKUP_BY_NAME", Q, proc_lookup_by_name },
	{ 24, "DOMAIN_LOOKUP_BY_UUID", Q, proc_lookup_by_uuid },
	{ 25, "CONNECT_NUM_OF_DEFINED_DOMAINS", Q, proc_num_of_defined_domains },
	{ 27, "DOMAIN_REBOOT", RW, proc_reboot },
	{ 28, "DOMAIN_RESUME", RW, proc_resume },
	{ 29, "DOMAIN_SET_AUTOSTART", RW, proc_set_autostart },
	{ 33, "DOMAIN_SHUTDOWN", RW, proc_shutdown },
	{ 34, "DOMAIN_SUSPEND", RW, proc_suspend },
	{ 35, "DOMAIN_UNDEFINE", RW, proc_undefine },
	{ 51, "CONNECT_NUM_OF_DOMAINS", Q, proc_num_of_domains },
	{ 59, "CONNECT_GET_HOSTNAME", Q, proc_get_hostname },
	{ 60, "CONNECT_SUPPORTS_FEATURE", Q | P, proc_supports_feature },
	{ 66, "AUTH_LIST", Q | P, proc_auth_list },
	{ 110, "CONNECT_GET_URI", Q, proc_get_uri },
	{ 149, "CONNECT_IS_SECURE", Q, proc_is_secure },
	{ 150, "DOMAIN_IS_ACTIVE", Q, proc_is_active },
	{ 151, "DOMAIN_IS_PERSISTENT", Q, proc_is_persistent },
	{ 157, "CONNECT_GET_LIB_VERSION", Q, proc_get_lib_version },
	{ 183, "DOMAIN_HAS_MANAGED_SAVE_IMAGE", Q, proc_has_managed_save },
	{ 187, "DOMAIN_SNAPSHOT_NUM", Q, proc_snapshot_num },
	{ 196, "DOMAIN_CREATE_WITH_FLAGS", RW, proc_create_with_flags },
	{ 201, "DOMAIN_OPEN_CONSOLE", RW, proc_open_console },
	{ 202, "DOMAIN_IS_UPDATED", Q, proc_is_updated },
	{ 212, "DOMAIN_GET_STATE", Q, proc_get_state },
	{ 231, "DOMAIN_UNDEFINE_FLAGS", RW, proc_undefine_flags },
	{ 234, "DOMAIN_DESTROY_FLAGS", RW, proc_destroy_flags },
	{ 258, "DOMAIN_SHUTDOWN_FLAGS", RW, proc_shutdown_flags },
	{ 273, "CONNECT_LIST_ALL_DOMAINS", Q, proc_list_all_domains },
	{ 350, "DOMAIN_DEFINE_XML_FLAGS", RW, proc_define_xml_flags },
	{ 426, "DOMAIN_GET_MESSAGES", Q, proc_get_messages },
};

const struct rpc_proc *rpc_proc_table(size_t *n)
{
	*n = sizeof(procs) / sizeof(procs[0]);
	return procs;
}

const struct rpc_proc *rpc_proc_find(int32_t proc)
{
	size_t lo = 0, hi = sizeof(procs) / sizeof(procs[0]), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (procs[mid].proc == proc)
			return &procs[mid];
		if (procs[mid].proc < proc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
