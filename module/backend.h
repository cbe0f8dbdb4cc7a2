/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one vendor boundary of lamina.ko.
 *
 * vmx/ and svm/ each export one const ops table; lamina_backend_select()
 * picks one at load time and the common code only ever calls through it.
 * Nothing outside vmx/ and svm/ tests the CPU vendor.
 */
#ifndef LAMINA_BACKEND_H
#define LAMINA_BACKEND_H

struct lamina_backend_ops {
	/* "vmx" or "svm": used in log messages only. */
	const char *name;
	/*
	 * Can this host run lamina with this backend? Returns 0, or a
	 * negative errno after logging the reason and how to fix it.
	 * Called once, before anything is allocated or enabled.
	 */
	int (*probe)(void);
	/*
	 * Does the CPU advertise this vendor's extension at all? Lets
	 * lamina_backend_select() pick the backend without a vendor check.
	 */
	bool (*cpu_has_extension)(void);
};

extern const struct lamina_backend_ops lamina_vmx_ops;
extern const struct lamina_backend_ops lamina_svm_ops;

const struct lamina_backend_ops *lamina_backend_select(void);

#endif /* LAMINA_BACKEND_H */
