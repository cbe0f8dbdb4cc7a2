// SPDX-License-Identifier: GPL-2.0-only
/*
 * `vmmd run` and the per-VM process vmmd-vm share this: check
 * everything that can be checked (files, fit, device) before a VM
 * exists, then build the machine, run one thread per vCPU plus the event
 * thread and the virtio I/O thread, and wait in the main thread for the VM's end (poweroff, reset,
 * crash, failure) or for SIGINT/SIGTERM. `vmmd run` talks to stdio;
 * vmmd-vm sandboxes itself once the machine is built and then serves
 * the daemon's channel (vmproc.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "acpi.h"
#include "boot.h"
#include "bzimage.h"
#include "cpuid.h"
#include "events.h"
#include "exitcode.h"
#include "ioapic.h"
#include "mem.h"
#include "pci.h"
#include "pic.h"
#include "pit.h"
#include "reset.h"
#include "rtc.h"
#include "run.h"
#include "serial.h"
#include "smbios.h"
#include "tapdev.h"
#include "vcpu.h"
#include "bus.h"
#include "virtio_blk.h"
#include "virtio_net.h"
#include "virtio_io.h"
#include "virtio_rng.h"
#include "vm.h"
#include "vmproc.h"

#define VM_ENDED_SIGNAL	SIGUSR2
#define JOIN_TRIES	100	/* x 100 ms: a vCPU that ignores kicks */

static pthread_mutex_t stop_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t main_thread;
static int stop_code = VMMD_EXIT_FAILURE;
static char stop_reason[256] = "stopped";
static int stopped;
static int panic_noted;

void vmmd_stop(int code, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&stop_lock);
	if (!stopped) {
		stop_code = code;
		va_start(ap, fmt);
		vsnprintf(stop_reason, sizeof(stop_reason), fmt, ap);
		va_end(ap);
		if (panic_noted && (code == VMMD_EXIT_RESET ||
				    code == VMMD_EXIT_TRIPLE_FAULT)) {
			char then[sizeof(stop_reason)];

			memcpy(then, stop_reason, sizeof(then));
			snprintf(stop_reason, sizeof(stop_reason),
				 "guest kernel panicked, then: %.200s", then);
			stop_code = VMMD_EXIT_PANIC;
		}
		__atomic_store_n(&stopped, 1, __ATOMIC_SEQ_CST);
		pthread_kill(main_thread, VM_ENDED_SIGNAL);
	}
	pthread_mutex_unlock(&stop_lock);
}

void vmmd_note_panic(void)
{
	pthread_mutex_lock(&stop_lock);
	panic_noted = 1;
	pthread_mutex_unlock(&stop_lock);
}

int vmmd_stopping(void)
{
	return __atomic_load_n(&stopped, __ATOMIC_SEQ_CST);
}

static void kick_handler(int sig)
{
	(void)sig;	/* only to make KVM_RUN return -EINTR */
}

/* Signals: main waits for them; vCPU threads unblock only the kick. */
static void setup_signals(sigset_t *wait_set)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;	/* no SA_RESTART: KVM_RUN must return */
	sigaction(VCPU_KICK_SIGNAL, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed stdout must not kill the VM */

	sigemptyset(wait_set);
	sigaddset(wait_set, SIGINT);
	sigaddset(wait_set, SIGTERM);
	sigaddset(wait_set, VM_ENDED_SIGNAL);
	block = *wait_set;
	sigaddset(&block, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &block, NULL);
}

/* The event thread saw a NIC's tap readable (virtio_net_rx locks). */
static void net_readable(void *dev)
{
	virtio_net_rx(dev);
}

/*
 * PCI bus 0 and its virtio devices: the entropy device, then one disk per
 * fd in @disk_fds, then one NIC per tap fd in @net_fds (all opened before
 * the VM). The device manager places each; ACPI and e820 describe what
 * it placed.
 */
static int pci_devices_init(const struct vmmd_config *cfg,
			    const struct guest_mem *mem, int *disk_fds,
			    int *net_fds)
{
	struct virtio_dev *nic;
	unsigned int i;
	char id[8];

	pci_init();
	virtio_io_set_vm(vm.vm_fd);	/* queue notifies become ioeventfds */
	if (!virtio_rng_add(mem))
		return -1;
	for (i = 0; disk_fds && i < cfg->ndisks; i++) {
		snprintf(id, sizeof(id), "vd%c", 'a' + i);
		if (!virtio_blk_add(mem, disk_fds[i], cfg->disks[i].read_only, id))
			return -1;
		disk_fds[i] = -1;	/* the device's now */
	}
	for (i = 0; net_fds && i < cfg->nnics; i++) {
		nic = virtio_net_add(mem, net_fds[i],
				     tapdev_offloads(net_fds[i]),
				     cfg->nics[i].mac, events_watch_dev);
		if (!nic)
			return -1;
		net_fds[i] = -1;
		if (events_add_dev(virtio_net_fd(nic), net_readable, nic))
			return -1;
	}
	return 0;
}

static int devices_init(const struct vmproc_opts *vp)
{
	pic_init();
	ioapic_init();
	serial_init(vp ? -1 : STDOUT_FILENO, vp ? vp->console : NULL);
	rtc_init();
	reset_init();
	return pit_init();
}

static void stop_vcpus(struct vcpu *v, unsigned int n)
{
	unsigned int i, tries;

	vcpus_wake_paused();
	for (i = 0; i < n; i++) {
		if (!v[i].started)
			continue;
		/* Kick again until it leaves: a kick can land before KVM_RUN. */
		for (tries = 0; tries < JOIN_TRIES; tries++) {
			struct timespec ts;

			vcpu_kick(&v[i]);
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 100 * 1000 * 1000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			if (!pthread_timedjoin_np(v[i].thread, NULL, &ts)) {
				v[i].started = 0;
				break;
			}
		}
		if (v[i].started) {
			fprintf(stderr, "vmmd: vCPU %u does not stop; exiting without teardown\n", i);
			fflush(stdout);
			_exit(VMMD_EXIT_FAILURE);
		}
	}
}

/*
 * What the boot CPU starts: a checked bzImage with its initrd and plan,
 * or (bz NULL) a raw test payload that fits. The files are read once,
 * straight into guest RAM, then closed.
 */
struct payload {
	const struct bzimage *bz;
	const struct boot_plan *plan;
	struct boot_file *kernel;	/* or the raw payload */
	struct boot_file *initrd;	/* fd -1: none */
};

static int load_payload(const struct vmmd_config *cfg, const struct payload *p,
			struct guest_mem *mem, struct boot_entry *entry)
{
	uint64_t rsdp = acpi_build(mem, cfg->cpus);
	int r;

	if (p->bz)
		r = boot_load(mem, p->bz, p->kernel, p->initrd, cfg->cmdline,
			      p->plan, rsdp, entry);
	else
		r = boot_load_raw(mem, p->kernel, entry);
	/* Loaded: a VM process keeps no file but its VM's (docs/sandbox.md). */
	boot_file_close(p->kernel);
	boot_file_close(p->initrd);
	return r;
}

/* Build and run the VM; the files were checked and the plan fits. */
static int run_vm(const struct vmmd_config *cfg, struct payload *p,
		  struct guest_mem *mem, int *disk_fds, int *net_fds,
		  const struct vmproc_opts *vp)
{
	static struct vcpu vcpus[VMMD_MAX_CPUS];
	struct kvm_cpuid2 *cpuid = NULL;
	struct boot_entry entry;
	sigset_t wait_set;
	unsigned int i;
	int sig, code;

	main_thread = pthread_self();
	for (i = 0; i < cfg->cpus; i++)
		vcpus[i].fd = -1;
	setup_signals(&wait_set);
	if (vm_create(mem) || devices_init(vp) ||
	    pci_devices_init(cfg, mem, disk_fds, net_fds))
		goto fail;
	cpuid = cpuid_supported();
	if (!cpuid)
		goto fail;
	smbios_build(mem);
	if (load_payload(cfg, p, mem, &entry))
		goto fail;
	for (i = 0; i < cfg->cpus; i++)
		if (vcpu_create(&vcpus[i], i, cpuid, cfg->cpus))
			goto fail;
	if (vcpu_set_boot_state(&vcpus[0], &entry))
		goto fail;
	vcpus[0].report_entry = vp != NULL;
	/* Still one thread, every fd open, no guest instruction run yet. */
	if (vp && vmproc_sandbox(vp))
		goto fail;
	if (events_start(vp ? -1 : STDIN_FILENO) || virtio_io_start())
		goto fail;
	if (vp && vp->paused)
		vcpus_pause(vcpus, cfg->cpus);
	for (i = 0; i < cfg->cpus; i++)
		if (vcpu_start(&vcpus[i]))
			goto fail;

	if (vp) {
		vmproc_serve(vp, &wait_set, vcpus, cfg->cpus);
		goto teardown;
	}
	do {
		if (sigwait(&wait_set, &sig))
			break;
		if (sig == SIGINT || sig == SIGTERM)
			vmmd_stop(VMMD_EXIT_SIGNAL, "stopped by %s",
				  sig == SIGINT ? "SIGINT" : "SIGTERM");
	} while (!vmmd_stopping());
	goto teardown;
fail:
	vmmd_stop(VMMD_EXIT_FAILURE, "could not start the VM (see above)");
teardown:
	stop_vcpus(vcpus, cfg->cpus);
	virtio_io_stop();
	events_stop();
	serial_flush();
	for (i = 0; i < cfg->cpus; i++) {
		/* Where each vCPU was, when the VM did not end by itself. */
		if (!vp && (stop_code == VMMD_EXIT_SIGNAL || stop_code == VMMD_EXIT_FAILURE))
			vcpu_report(&vcpus[i], mem);
		vcpu_destroy(&vcpus[i]);
	}
	free(cpuid);
	vm_close();
	pthread_mutex_lock(&stop_lock);
	code = stop_code;
	virtio_io_report();
	fprintf(stderr, "vmmd: %s\n", stop_reason);
	if (vp)
		vmproc_report_exit(vp, code, stop_reason);
	pthread_mutex_unlock(&stop_lock);
	return code;
}

/*
 * Check the kernel (and initrd) the caller opened, plan the boot,
 * allocate RAM, open the device, run. @vp: NULL for `vmmd run`.
 */
static int boot_files(const struct vmmd_config *cfg, struct boot_file *kernel,
		      struct boot_file *initrd, int *disk_fds, int *net_fds,
		      const struct vmproc_opts *vp)
{
	uint64_t low = cfg->mem < MEM_LOW_LIMIT ? cfg->mem : MEM_LOW_LIMIT;
	struct payload p = { .kernel = kernel, .initrd = initrd };
	struct guest_mem mem = { 0 };
	struct boot_plan plan;
	struct bzimage bz;
	int r = 0;

	if (cfg->raw_payload) {
		if (kernel->size > low - BOOT_RAW_LOAD) {
			fprintf(stderr, "vmmd: %s: %zu bytes do not fit between 1 MiB and the end of low RAM\n",
				cfg->raw_payload, kernel->size);
			r = VMMD_EXIT_NO_FIT;
		}
	} else {
		p.bz = &bz;
		p.plan = &plan;
		r = bzimage_parse(kernel, &bz);
		if (!r)
			r = boot_plan_make(&bz, initrd->fd >= 0 ? initrd->size : 0,
					   cfg->cmdline, low, &plan);
	}
	if (!r && guest_mem_alloc(&mem, cfg->mem)) {
		fprintf(stderr, "vmmd: cannot allocate %llu MiB of guest RAM: %s\n",
			(unsigned long long)(cfg->mem >> 20), strerror(errno));
		r = VMMD_EXIT_NO_FIT;
	}
	if (!r)
		r = vm_open(cfg->dev, cfg->cpus);
	if (!r)
		r = run_vm(cfg, &p, &mem, disk_fds, net_fds, vp);
	guest_mem_free(&mem);
	return r;
}

/* Open --disk files now, before any VM exists: a bad one costs nothing. */
static int open_disks(const struct vmmd_config *cfg, int *fds)
{
	unsigned int i;

	for (i = 0; i < cfg->ndisks; i++) {
		fds[i] = open(cfg->disks[i].path,
			      (cfg->disks[i].read_only ? O_RDONLY : O_RDWR) |
			      O_CLOEXEC);
		if (fds[i] < 0) {
			fprintf(stderr, "vmmd: cannot open disk %s%s: %s\n",
				cfg->disks[i].path,
				cfg->disks[i].read_only ? " (read-only)" : "",
				strerror(errno));
			return VMMD_EXIT_BAD_FILE;
		}
	}
	return 0;
}

/* Open each --net tap now, as the disks: before any VM exists. */
static int open_taps(const struct vmmd_config *cfg, int *fds)
{
	const char *stage;
	unsigned int i;

	for (i = 0; i < cfg->nnics; i++) {
		fds[i] = tapdev_open(cfg->nics[i].tap, &stage);
		if (fds[i] < 0) {
			fprintf(stderr, "vmmd: --net %s: cannot %s: %s\n",
				cfg->nics[i].tap, stage, strerror(errno));
			return VMMD_EXIT_BAD_FILE;
		}
	}
	return 0;
}

static void close_fds(int *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

int vmmd_run(const struct vmmd_config *cfg)
{
	struct boot_file kernel = { .fd = -1 }, initrd = { .fd = -1 };
	int fds[VMMD_MAX_DISKS], net_fds[VMMD_MAX_NICS];
	unsigned int i;
	int r;

	for (i = 0; i < VMMD_MAX_DISKS; i++)
		fds[i] = -1;
	for (i = 0; i < VMMD_MAX_NICS; i++)
		net_fds[i] = -1;
	if (cfg->raw_payload)
		r = boot_file_open("raw payload", cfg->raw_payload, &kernel);
	else
		r = boot_file_open("kernel", cfg->kernel, &kernel);
	if (!r && cfg->initrd)
		r = boot_file_open("initrd", cfg->initrd, &initrd);
	if (!r)
		r = open_disks(cfg, fds);
	if (!r)
		r = open_taps(cfg, net_fds);
	if (!r)
		r = boot_files(cfg, &kernel, &initrd, fds, net_fds, NULL);
	close_fds(fds, VMMD_MAX_DISKS);
	close_fds(net_fds, VMMD_MAX_NICS);
	boot_file_close(&initrd);
	boot_file_close(&kernel);
	return r;
}

int vmmd_run_fds(const struct vmmd_config *cfg, int kernel_fd, int initrd_fd,
		 int *disk_fds, int *net_fds, const struct vmproc_opts *vp)
{
	struct boot_file kernel = { .fd = -1 }, initrd = { .fd = -1 };
	int r;

	r = boot_file_check("kernel", cfg->kernel, kernel_fd, &kernel);
	if (!r && initrd_fd >= 0)
		r = boot_file_check("initrd", cfg->initrd, initrd_fd, &initrd);
	else if (initrd_fd >= 0)
		close(initrd_fd);
	if (!r)
		r = boot_files(cfg, &kernel, &initrd, disk_fds, net_fds, vp);
	boot_file_close(&kernel);
	boot_file_close(&initrd);
	close_fds(disk_fds, cfg->ndisks);
	if (net_fds)
		close_fds(net_fds, cfg->nnics);
	return r;
}
