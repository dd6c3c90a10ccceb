/*
 * core/x86/role.h — the role of an MMU page: which kind of table it is, and
 * for which guest configuration it is valid (KVM's kvm_mmu_page_role).
 *
 * The role and the gfn are the identity of a shadow page: two guest
 * configurations that would need different SPTEs for the same guest table
 * get different roles, so a page is never reused where it would be wrong.
 * TDP roots are shared by every vCPU whose root role is equal.
 *
 * The layout is KVM's, bit for bit, so a student reading KVM's traces can
 * compare words.  The struct uses C11 bit-fields on uint32_t, which gcc and
 * clang lay out from the least significant bit; role_test checks the
 * positions.
 */
#ifndef MMULAB_CORE_X86_ROLE_H
#define MMULAB_CORE_X86_ROLE_H

#include <stdbool.h>
#include <stdint.h>

union mmu_page_role {
	uint32_t word;
	struct {
		uint32_t level : 4;            /* 1 = PTEs ... 5 = PML5 */
		uint32_t has_4_byte_gpte : 1;  /* guest uses 32-bit non-PAE entries */
		uint32_t quadrant : 2;         /* which part of a 32-bit guest table this covers */
		uint32_t direct : 1;           /* maps a linear gfn range, no guest table behind it */
		uint32_t access : 3;           /* ACC_* accumulated from the parents */
		uint32_t invalid : 1;          /* zapped, still pinned as a root */
		uint32_t efer_nx : 1;          /* EFER.NXE it is valid for */
		uint32_t cr0_wp : 1;           /* CR0.WP it is valid for */
		uint32_t smep_andnot_wp : 1;   /* CR4.SMEP && !CR0.WP */
		uint32_t smap_andnot_wp : 1;   /* CR4.SMAP && !CR0.WP */
		uint32_t ad_disabled : 1;      /* hardware does not set A/D in these SPTEs */
		uint32_t guest_mode : 1;       /* belongs to an L2 (nested) context */
		uint32_t passthrough : 1;      /* top page with no guest table (5-level over 4-level) */
		uint32_t unused : 5;
		uint32_t smm : 8;              /* address space: 1 = SMM */
	};
};

_Static_assert(sizeof(union mmu_page_role) == 4, "a role is one 32-bit word");

/*
 * Decode a role for people, KVM-trace style:
 * "level=4 direct access=wux cr0_wp efer_nx ad" — flags shown only when set,
 * access as three letters (w, u, x or '-').  Returns what snprintf would.
 */
int role_describe(union mmu_page_role role, char *buf, unsigned size);

/* The role of a child table one level down (KVM's kvm_mmu_child_role). */
union mmu_page_role role_child(union mmu_page_role parent, unsigned access, bool direct);

#endif
