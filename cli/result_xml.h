/*
 * cli/result_xml.h — a run as an XML document (libxml2's text writer), for
 * tools, graders and golden files.  Format: docs/result-format.md.
 */
#ifndef MMULAB_CLI_RESULT_XML_H
#define MMULAB_CLI_RESULT_XML_H

#include "hw/run.h"

/* Write the report to stdout.  Returns 0, or -1 if libxml2 failed. */
int print_result_xml(const struct run_report *r);

#endif
