// SPDX-License-Identifier: GPL-2.0-only
/*
 * What dmesg says when libvmm's layer 7 (libvmm/uapi.h) refuses an ioctl
 * argument: one line per error code, for every ioctl whose refusals are
 * printed by name (KVM_IOEVENTFD, KVM_ENABLE_CAP, KVM_SIGNAL_MSI,
 * KVM_SET_GSI_ROUTING, KVM_IRQFD).
 */
#include <linux/kernel.h>

#include "lamina.h"

static const char *const uapi_why[] = {
	[VMM_UAPI_ERR_IOEVENTFD_LEN] = "length not 0, 1, 2, 4 or 8",
	[VMM_UAPI_ERR_IOEVENTFD_WRAP] = "address range wraps around",
	[VMM_UAPI_ERR_IOEVENTFD_FLAGS] = "unknown flags",
	[VMM_UAPI_ERR_IOEVENTFD_LEN0_DATAMATCH] = "DATAMATCH with length 0",
	[VMM_UAPI_ERR_CAP_FLAGS] = "flags set",
	[VMM_UAPI_ERR_CAP_UNKNOWN] = "only KVM_CAP_SPLIT_IRQCHIP can be enabled",
	[VMM_UAPI_ERR_CAP_PINS] = "more IOAPIC pins than KVM_MAX_IRQ_ROUTES",
	[VMM_UAPI_ERR_MSI_FLAGS] = "unknown flags",
	[VMM_UAPI_ERR_MSI_PAD] = "padding set",
	[VMM_UAPI_ERR_MSI_ADDR] = "address not in the 0xfee00000 window",
	[VMM_UAPI_ERR_MSI_MODE] = "delivery mode SMI, ExtINT, SIPI or reserved",
	[VMM_UAPI_ERR_ROUTING_NR] = "more routes than KVM_MAX_IRQ_ROUTES",
	[VMM_UAPI_ERR_ROUTING_FLAGS] = "flags set",
	[VMM_UAPI_ERR_ROUTE_GSI] = "a GSI out of range",
	[VMM_UAPI_ERR_ROUTE_TYPE] = "a route not MSI (the only kind with the split irqchip)",
	[VMM_UAPI_ERR_ROUTE_FLAGS] = "a route with unknown flags",
	[VMM_UAPI_ERR_ROUTE_ADDR_HI] = "a route's MSI address above 4 GiB",
	[VMM_UAPI_ERR_ROUTE_DUPLICATE] = "a GSI routed twice",
	[VMM_UAPI_ERR_IRQFD_FLAGS] = "unknown flags",
	[VMM_UAPI_ERR_IRQFD_RESAMPLE] = "KVM_IRQFD_FLAG_RESAMPLE needs an in-kernel IOAPIC",
};

const char *lamina_uapi_why(enum vmm_uapi_err err)
{
	if ((unsigned int)err < ARRAY_SIZE(uapi_why) && uapi_why[err])
		return uapi_why[err];
	return "internal error";
}
