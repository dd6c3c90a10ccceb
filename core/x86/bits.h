/*
 * core/x86/bits.h — architectural bit names (Intel SDM vol. 3 ch. 2 and 4,
 * AMD APM vol. 2 ch. 5), used everywhere instead of numbers.
 */
#ifndef MMULAB_CORE_X86_BITS_H
#define MMULAB_CORE_X86_BITS_H

#include <stdint.h>

#define BIT_ULL(n) (1ULL << (n))
/* Bits lo..hi inclusive. */
#define GENMASK_ULL(hi, lo) ((~0ULL >> (63 - (hi))) & (~0ULL << (lo)))

#define PAGE_SHIFT 12
#define PAGE_SIZE_4K (1ULL << 12)
#define PAGE_SIZE_2M (1ULL << 21)
#define PAGE_SIZE_4M (1ULL << 22)
#define PAGE_SIZE_1G (1ULL << 30)

/* ---- paging-structure entries, legacy / PAE / 4- and 5-level (SDM 4.3-4.5) */
#define PT_PRESENT   BIT_ULL(0)
#define PT_WRITABLE  BIT_ULL(1)
#define PT_USER      BIT_ULL(2)
#define PT_PWT       BIT_ULL(3)
#define PT_PCD       BIT_ULL(4)
#define PT_ACCESSED  BIT_ULL(5)
#define PT_DIRTY     BIT_ULL(6)
#define PT_PAGE_SIZE BIT_ULL(7)   /* PS: this PDE/PDPTE maps a page */
#define PT_PAT_4K    BIT_ULL(7)   /* PAT in a 4 KiB PTE */
#define PT_GLOBAL    BIT_ULL(8)
#define PT_PAT_LARGE BIT_ULL(12)  /* PAT in a 2M/4M/1G leaf */
#define PT64_NX      BIT_ULL(63)  /* execute-disable, with EFER.NXE */
#define PT64_PKEY_SHIFT 59        /* protection key, bits 62:59, with CR4.PKE */
#define PT64_PKEY_MASK  GENMASK_ULL(62, 59)
/* 32-bit paging, 4 MiB page: PDE bits 20:13 hold PA bits 39:32 (PSE-36). */
#define PT32_PSE36_SHIFT 13
#define PT32_PSE36_MASK  GENMASK_ULL(20, 13)
/* SDM 4.3: a 4 MiB page's address has min(MAXPHYADDR, 40) bits. */
#define PT32_PSE36_MAX_PHYS_BITS 40

/* Address fields (SDM tables 4-4 to 4-20, 29.3.2). */
#define PT32_ADDR_MASK    GENMASK_ULL(31, 12)  /* 32-bit PDE/PTE: table or 4 KiB page */
#define PT32_4M_ADDR_MASK GENMASK_ULL(31, 22)  /* 32-bit PDE: 4 MiB page, low bits */
#define PT64_ADDR_MASK    GENMASK_ULL(51, 12)  /* PAE, 4/5-level, EPT: bits M-1:12 */
#define PT64_MAX_PHYS_BITS 52                  /* the largest MAXPHYADDR */
#define MAXPHYADDR_MIN 36                      /* the smallest a CPU with PAE reports */

/* PAE (SDM 4.4.1): CR3 bits 31:5 locate a 32-byte table of 4 PDPTEs. */
#define CR3_PAE_PDPT_MASK GENMASK_ULL(31, 5)
#define PAE_NR_PDPTRS 4
#define PAE_PDPT_LEVEL 3

/* ---- EPT entries (SDM 29.3.2) ---------------------------------------------- */
#define EPT_READ        BIT_ULL(0)
#define EPT_WRITE       BIT_ULL(1)
#define EPT_EXEC        BIT_ULL(2)
#define EPT_RWX         (EPT_READ | EPT_WRITE | EPT_EXEC)
#define EPT_MT_SHIFT    3         /* memory type, bits 5:3 of a leaf */
#define EPT_MT_MASK     GENMASK_ULL(5, 3)
#define EPT_IGNORE_PAT  BIT_ULL(6)
#define EPT_PAGE_SIZE   BIT_ULL(7)
#define EPT_ACCESSED    BIT_ULL(8)  /* when EPTP bit 6 enables A/D */
#define EPT_DIRTY       BIT_ULL(9)
#define EPT_SUPPRESS_VE BIT_ULL(63)

/* EPT / PAT memory types (SDM 11.3). */
#define MTYPE_UC 0
#define MTYPE_WC 1
#define MTYPE_WT 4
#define MTYPE_WP 5
#define MTYPE_WB 6

/* ---- #PF error code (SDM 4.7) ---------------------------------------------- */
#define PFERR_PRESENT BIT_ULL(0)  /* P: a protection violation, not a missing page */
#define PFERR_WRITE   BIT_ULL(1)  /* W/R: the access was a write */
#define PFERR_USER    BIT_ULL(2)  /* U/S: the access was a user-mode access */
#define PFERR_RSVD    BIT_ULL(3)  /* a reserved bit was set in some entry */
#define PFERR_FETCH   BIT_ULL(4)  /* I/D: instruction fetch (with NXE or SMEP) */
#define PFERR_PK      BIT_ULL(5)  /* protection-key violation */
#define PFERR_SS      BIT_ULL(6)  /* shadow-stack access; reserved, never set here */

/* ---- access rights, accumulated across levels (as KVM's ACC_*) ------------- */
#define ACC_EXEC  1u
#define ACC_WRITE 2u
#define ACC_USER  4u
#define ACC_ALL   (ACC_EXEC | ACC_WRITE | ACC_USER)

/* ---- control registers and EFER (SDM 2.5, 2.2.1) ---------------------------- */
#define CR0_PE   BIT_ULL(0)
#define CR0_WP   BIT_ULL(16)
#define CR0_PG   BIT_ULL(31)
#define CR3_PCID_MASK     GENMASK_ULL(11, 0)
#define CR3_PCID_NOFLUSH  BIT_ULL(63)
#define CR4_PSE  BIT_ULL(4)
#define CR4_PAE  BIT_ULL(5)
#define CR4_PGE  BIT_ULL(7)
#define CR4_LA57 BIT_ULL(12)
#define CR4_PCIDE BIT_ULL(17)
#define CR4_SMEP BIT_ULL(20)
#define CR4_SMAP BIT_ULL(21)
#define CR4_PKE  BIT_ULL(22)
#define EFER_LME BIT_ULL(8)
#define EFER_LMA BIT_ULL(10)
#define EFER_NXE BIT_ULL(11)
#define X86_EFLAGS_AC BIT_ULL(18)

/* PKRU: two bits per key, AD (access-disable) then WD (write-disable). */
#define PKRU_AD(key) (1u << (2 * (key)))
#define PKRU_WD(key) (1u << (2 * (key) + 1))

#endif
