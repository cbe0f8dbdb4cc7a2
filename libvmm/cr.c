// SPDX-License-Identifier: GPL-2.0-only
/*
 * libvmm layer 13: a guest's CR0/CR4 write.  Rules and contracts: cr.h;
 * model: acsl-specs/cr.acsl.
 *
 * Shape: the checks are an if/else-if chain in the order of the error
 * codes, reading only; the state is written last, only on success.
 */
#include <libvmm/cr.h>

vmm_u64 vmm_cr_new_value(enum vmm_cr_how how, vmm_u64 cr0, vmm_u64 src)
{
	vmm_u64 v = src;

	if (how == VMM_CR_CLTS) {
		v = cr0 & VMM_CR_NOT_CR0_TS;
	} else if (how == VMM_CR_LMSW) {
		/* LMSW loads PE, MP, EM, TS, and cannot clear PE. */
		v = ((cr0 & VMM_CR_NOT_LMSW_BITS) | (src & VMM_CR_LMSW_BITS)) |
		    (cr0 & VMM_CR0_PE);
	}
	return v;
}

enum vmm_cr_err vmm_cr_write_cr0(struct vmm_cr_state *s, vmm_u64 v)
{
	enum vmm_cr_err err = VMM_CR_OK;
	vmm_u64 efer;
	vmm_bool pg_on;
	vmm_bool pg_off;

	if (s == VMM_NULL) {
		err = VMM_CR_ERR_NULL;
	} else {
		efer = s->efer;
		pg_on = (((v & VMM_CR0_PG) != 0ULL) &&
			 ((s->cr0 & VMM_CR0_PG) == 0ULL)) ? VMM_TRUE : VMM_FALSE;
		pg_off = (((v & VMM_CR0_PG) == 0ULL) &&
			  ((s->cr0 & VMM_CR0_PG) != 0ULL)) ? VMM_TRUE : VMM_FALSE;
		if (v > VMM_CR0_MAX) {
			err = VMM_CR_ERR_CR0_RESERVED;
		} else if (((v & VMM_CR0_PG) != 0ULL) &&
			   ((v & VMM_CR0_PE) == 0ULL)) {
			err = VMM_CR_ERR_CR0_PG_NO_PE;
		} else if (((v & VMM_CR0_NW) != 0ULL) &&
			   ((v & VMM_CR0_CD) == 0ULL)) {
			err = VMM_CR_ERR_CR0_NW_NO_CD;
		} else if ((pg_on != VMM_FALSE) &&
			   ((s->efer & VMM_EFER_LME) != 0ULL) &&
			   ((s->cr4 & VMM_CR4_PAE) == 0ULL)) {
			/* Long mode needs PAE paging (9.8.5). */
			err = VMM_CR_ERR_CR0_LONG_NO_PAE;
		} else {
			if ((pg_on != VMM_FALSE) &&
			    ((s->efer & VMM_EFER_LME) != 0ULL)) {
				efer = s->efer | VMM_EFER_LMA;
			} else if (pg_off != VMM_FALSE) {
				efer = s->efer & VMM_CR_NOT_EFER_LMA;
			}
			s->cr0 = v | VMM_CR_CR0_ET;	/* ET is hardwired to 1 */
			s->efer = efer;
		}
	}
	return err;
}

enum vmm_cr_err vmm_cr_write_cr4(struct vmm_cr_state *s, vmm_u64 v,
				 vmm_u64 cr4_allowed)
{
	enum vmm_cr_err err = VMM_CR_OK;

	if (s == VMM_NULL) {
		err = VMM_CR_ERR_NULL;
	} else if ((v & (VMM_U64_MAX - cr4_allowed)) != 0ULL) {
		err = VMM_CR_ERR_CR4_RESERVED;
	} else if (((s->efer & VMM_EFER_LMA) != 0ULL) &&
		   ((v & VMM_CR4_PAE) == 0ULL)) {
		/* Long mode cannot leave PAE. */
		err = VMM_CR_ERR_CR4_LMA_NO_PAE;
	} else {
		s->cr4 = v;
	}
	return err;
}
