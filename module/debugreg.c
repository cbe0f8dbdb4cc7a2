// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest debug registers the hardware leaves to the hypervisor: neither
 * VMX nor SVM switches DR0-DR3, and the VMCS has no guest DR6 (the VMCB
 * holds DR6 and DR7, the VMCS DR7: SDM vol. 3C 25.4.1, APM vol. 2 15.5.1).
 * Unswitched, one guest's DR0-DR3 were the next guest's and the host's
 * (tests/hostile_guest.c: debugreg-*). As KVM does, only a guest that
 * uses them pays: MOV DR exits until the guest's first one (the backends
 * intercept it while !db_owned), which hands the registers to the guest
 * and runs the instruction again, natively; from then on they are loaded
 * before and saved after every run of that vCPU.
 */
#include <linux/kernel.h>
#include <linux/kvm.h>
#include <linux/percpu.h>
#include <asm/debugreg.h>

#include "backend.h"
#include "debugreg.h"
#include "lamina.h"

void lamina_db_before_run(struct lamina_vcpu *vcpu)
{
	unsigned int i;

	if (!vcpu->db_owned)
		return;
	/* The host's own breakpoints must not fire on the guest's addresses. */
	if (hw_breakpoint_active())
		set_debugreg(0, 7);
	for (i = 0; i < ARRAY_SIZE(vcpu->db); i++)
		set_debugreg(vcpu->db[i], i);
	if (lamina_backend->switch_dr6)
		set_debugreg(vcpu->db6, 6);
}

void lamina_db_after_run(struct lamina_vcpu *vcpu,
			 const struct vmm_exit_event *ev)
{
	unsigned int i;

	if (vcpu->db_owned) {
		for (i = 0; i < ARRAY_SIZE(vcpu->db); i++)
			get_debugreg(vcpu->db[i], i);
		if (lamina_backend->switch_dr6)
			get_debugreg(vcpu->db6, 6);
	} else if (ev && ev->kind == VMM_EXIT_DR_ACCESS) {
		/*
		 * The guest never saw DR0-DR3 (db[] holds their reset value,
		 * 0) nor DR6: db6 holds its reset value or what a reflected
		 * #DB made of it (event.h). The CPU's DR6 is not the guest's
		 * here: it can be the last owner's, another VM's.
		 */
		vcpu->db_owned = true;
	}
	/*
	 * The host's breakpoints are off (a VM exit disables DR7) and DR0-
	 * DR3 may hold the guest's: put them back if the host has any.
	 */
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
}
