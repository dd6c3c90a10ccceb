/*
 * core/errors.h — error codes returned by core/ and backends/.
 *
 * Functions return 0 or a negative MMU_E* code (libfdt style); callers that
 * talk to a person add the context (file:line of the scenario step, the
 * address) and turn the code into words with mmu_strerror().
 */
#ifndef MMULAB_CORE_ERRORS_H
#define MMULAB_CORE_ERRORS_H

enum mmu_error {
	MMU_OK = 0,
	MMU_ENOMEM = -1,     /* the host ran out of frames or heap */
	MMU_EINVAL = -2,     /* an argument no caller should pass */
	MMU_ENOSLOT = -3,    /* a guest-physical address outside every memslot */
	MMU_ERANGE = -4,     /* an address beyond MAXPHYADDR or the mode's width */
	MMU_ECONFLICT = -5,  /* a mapping that contradicts an existing one */
	MMU_EREADONLY = -6,  /* a write to a read-only memslot */
	MMU_ENOVCPU = -7,    /* a vCPU that does not exist */
	MMU_EOVERLAP = -8,   /* a memslot overlapping another */
	MMU_EMODE = -9,      /* a register value that is not a valid paging mode */
	MMU_EUNSUPPORTED = -10, /* valid architecture this model does not do */
};

const char *mmu_strerror(int err);

#endif
