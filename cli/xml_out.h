/*
 * cli/xml_out.h — an XML document written with libxml2's text writer into
 * memory and printed on stdout only when every write succeeded, so a
 * failure never leaves half a document behind.
 */
#ifndef MMULAB_CLI_XML_OUT_H
#define MMULAB_CLI_XML_OUT_H

#include <libxml/xmlwriter.h>

struct xml_out {
	xmlBufferPtr buf;     /* the document so far */
	xmlTextWriterPtr w;   /* writes into buf */
};

/* Start the document and open its root element.  0, or -1 with a message on stderr. */
int xml_out_begin(struct xml_out *x, const char *root);
/* rc: OR of the writes' failures.  Close, print the document (or say `what` failed), free. */
int xml_out_end(struct xml_out *x, int rc, const char *what);

#endif
