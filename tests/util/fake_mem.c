#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "tests/util/fake_mem.h"

struct fake_page {
	struct fake_page *next;
	uint64_t gfn;
	uint8_t bytes[4096];
};

static uint8_t *page_of(struct fake_mem *fm, uint64_t gpa)
{
	struct fake_page *p;

	for (p = fm->pages; p; p = p->next)
		if (p->gfn == gpa >> 12)
			return p->bytes;
	p = calloc(1, sizeof(*p));
	if (!p)
		abort();
	p->gfn = gpa >> 12;
	p->next = fm->pages;
	fm->pages = p;
	return p->bytes;
}

static int valid(struct fake_mem *fm, uint64_t gpa, unsigned bytes)
{
	if (gpa >= fm->limit || bytes > fm->limit - gpa)
		return MMU_ENOSLOT;
	/* entries are naturally aligned, so they never cross a page */
	return (gpa & (bytes - 1)) ? MMU_EINVAL : 0;
}

uint64_t fake_mem_read(struct fake_mem *fm, uint64_t gpa, unsigned bytes)
{
	uint64_t v = 0;

	memcpy(&v, page_of(fm, gpa) + (gpa & 4095), bytes);
	return v;
}

void fake_mem_write(struct fake_mem *fm, uint64_t gpa, unsigned bytes, uint64_t val)
{
	memcpy(page_of(fm, gpa) + (gpa & 4095), &val, bytes);
}

static int op_read(void *opaque, uint64_t gpa, unsigned bytes, uint64_t *val)
{
	struct fake_mem *fm = opaque;
	int err = valid(fm, gpa, bytes);

	if (err)
		return err;
	fm->reads++;
	*val = fake_mem_read(fm, gpa, bytes);
	return 0;
}

static int op_cmpxchg(void *opaque, uint64_t gpa, unsigned bytes, uint64_t old,
		      uint64_t new)
{
	struct fake_mem *fm = opaque;
	int err = valid(fm, gpa, bytes);

	if (err)
		return err;
	fm->cmpxchgs++;
	if (fake_mem_read(fm, gpa, bytes) != old)
		return 0;
	fake_mem_write(fm, gpa, bytes, new);
	return 1;
}

static int op_write(void *opaque, uint64_t gpa, unsigned bytes, uint64_t val)
{
	struct fake_mem *fm = opaque;
	int err = valid(fm, gpa, bytes);

	if (err)
		return err;
	fm->writes++;
	fake_mem_write(fm, gpa, bytes, val);
	return 0;
}

void fake_mem_init(struct fake_mem *fm, uint64_t limit)
{
	memset(fm, 0, sizeof(*fm));
	fm->limit = limit;
	fm->ops.opaque = fm;
	fm->ops.read = op_read;
	fm->ops.cmpxchg = op_cmpxchg;
	fm->ops.write = op_write;
}

void fake_mem_destroy(struct fake_mem *fm)
{
	while (fm->pages) {
		struct fake_page *p = fm->pages;

		fm->pages = p->next;
		free(p);
	}
}
