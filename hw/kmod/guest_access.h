/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hw/kmod/guest_access.h — ACCESS, for the guest's code files (assembly
 * only): it assembles one of the guest's loads or stores of scenario data
 * and records it in the including file's table of access sites, the
 * section the file names ACCESS_SECTION before including this.
 *
 * An entry says what the instruction does (GUEST_OP_READ or
 * GUEST_OP_WRITE, how many bytes), which registers hold the data and the
 * address (HV_* offsets, hv_regs.h) and what is added to the address, and
 * the instruction's length.  When such an access reaches a gpa with no
 * memory behind it (MMIO, a write to ROM), the host performs it and steps
 * RIP over it (hv_emulate.c), as KVM's emulator would, without decoding
 * x86: every data access of the guest is one of these.  A load writes its
 * whole destination register, zero-extended (movzbl, movzwl, movl and
 * movq do).  struct guest_site_entry (guest.c) is the entry's layout; each
 * file keeps its own table, as for HYPERCALL (guest_hcall.h).
 */
#ifndef MMULAB_HW_KMOD_GUEST_ACCESS_H
#define MMULAB_HW_KMOD_GUEST_ACCESS_H

#ifndef ACCESS_SECTION
#error "define ACCESS_SECTION, the section of this file's access sites, first"
#endif

#include "hw/kmod/hv_regs.h"

	.macro ACCESS op, bytes, data, addr, disp, insn:vararg
671:	\insn
672:
	.pushsection ACCESS_SECTION, "a"
	.quad	671b
	.byte	\op, \bytes, 672b - 671b, \data, \addr, \disp, 0, 0
	.popsection
	.endm

#endif
