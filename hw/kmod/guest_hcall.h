/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/guest_hcall.h — HYPERCALL, for the guest's code files (assembly
 * only): it assembles VMMCALL and records where, in the including file's
 * table of hypercall sites, the section the file names HCALL_SECTION
 * before including this.  guest_place writes the vendor's own instruction
 * at every site (VMCALL on VMX, where VMMCALL is #UD), as KVM patches its
 * guests' hypercalls.  Each file keeps its own table, bracketed by labels
 * of its own: the linker keeps no order between files.
 */
#ifndef MMULAB_HW_KMOD_GUEST_HCALL_H
#define MMULAB_HW_KMOD_GUEST_HCALL_H

#ifndef HCALL_SECTION
#error "define HCALL_SECTION, the section of this file's hypercall sites, first"
#endif

	.macro HYPERCALL
661:	vmmcall
	.pushsection HCALL_SECTION, "a"
	.quad	661b
	.popsection
	.endm

#endif
