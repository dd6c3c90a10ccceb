/*
 * hw/kmod_cpu.h — what the CPU under /dev/mmulab offers, and what a
 * request lacks on it: how the kmod executor tells "this CPU cannot run
 * this" (a skip) from "mmulab cannot run this yet" (an error).
 *
 * The module refuses with -EOPNOTSUPP what the CPU cannot do and with
 * -ENOSYS what mmulab cannot do yet (hw/kmod/README.md).  The module runs on
 * the CPU user space runs on, so /proc/cpuinfo describes it; the executor
 * reports a skip only when it can name the feature the CPU lacks, so a
 * refusal nobody can explain stays an error.
 */
#ifndef MMULAB_HW_KMOD_CPU_H
#define MMULAB_HW_KMOD_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/x86/walk.h"

/* The features of /proc/cpuinfo that decide what the module can run. */
struct kmod_cpu {
	bool known;         /* /proc/cpuinfo was read: false means "lacks" cannot be said */
	bool svm, npt;      /* AMD SVM, and its nested paging */
	bool vmx, ept;      /* Intel VMX, and EPT ("vmx flags" line) */
	bool ept_ad;        /* EPT accessed and dirty bits */
	bool ept_1gb;       /* 1 GiB EPT leaves */
	bool ept_5level;    /* 5-level EPT tables */
	bool la57;          /* 5-level paging; the kernel clears it when it runs 4-level */
	bool smep, smap;
	bool pku;           /* protection keys */
	bool nx;
	bool gbpages;       /* 1 GiB pages (pdpe1gb) */
	unsigned phys_bits; /* MAXPHYADDR ("address sizes"), 0 if not said */
};

/* Fill cpu from the text of /proc/cpuinfo (its first processor's lines). */
void kmod_cpu_parse(struct kmod_cpu *cpu, const char *text);
/* Read /proc/cpuinfo; cpu->known is false when it cannot be read. */
void kmod_cpu_read(struct kmod_cpu *cpu);

/*
 * Each names in why[size] a feature that the request needs and the CPU
 * lacks ("Intel VMX with EPT") and returns true, or returns false when it
 * lacks nothing mmulab knows of.
 *
 * A VM: its tables (npt, else EPT; ept_ad), 1 GiB leaves for guests that
 * map 1 GiB pages (gbpages), 5-level tables for a MAXPHYADDR above 48.
 */
bool kmod_cpu_lacks_vm(const struct kmod_cpu *cpu, bool npt, bool ept_ad, bool gbpages,
		       unsigned maxphyaddr, char *why, size_t size);
/* A vCPU with these registers: CR4.LA57, SMEP, SMAP, PKE; EFER.NXE. */
bool kmod_cpu_lacks_vcpu(const struct kmod_cpu *cpu, const struct x86_paging_regs *regs,
			 char *why, size_t size);
/*
 * A guest MAXPHYADDR above the CPU's: address bits the guest may set in
 * its tables are reserved to the CPU that walks them.
 */
bool kmod_cpu_lacks_maxphyaddr(const struct kmod_cpu *cpu, unsigned maxphyaddr, char *why,
			       size_t size);

#endif
