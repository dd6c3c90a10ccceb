/*
 * cli/xml_out.c — see xml_out.h.
 */
#include <stdio.h>

#include "cli/xml_out.h"

int xml_out_begin(struct xml_out *x, const char *root)
{
	x->buf = xmlBufferCreate();
	x->w = x->buf ? xmlNewTextWriterMemory(x->buf, 0) : NULL;
	if (!x->w) {
		xmlBufferFree(x->buf);
		fprintf(stderr, "mmulab: cannot create the XML writer\n");
		return -1;
	}
	xmlTextWriterSetIndent(x->w, 1);
	if (xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(x->w, BAD_CAST root) < 0) {
		xml_out_end(x, 1, root);
		return -1;
	}
	return 0;
}

int xml_out_end(struct xml_out *x, int rc, const char *what)
{
	rc |= xmlTextWriterEndDocument(x->w) < 0;
	xmlFreeTextWriter(x->w);
	if (!rc)
		fputs((const char *)xmlBufferContent(x->buf), stdout);
	else
		fprintf(stderr, "mmulab: writing the XML %s failed\n", what);
	xmlBufferFree(x->buf);
	return rc ? -1 : 0;
}
