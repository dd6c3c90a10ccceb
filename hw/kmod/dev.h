/*
 * hw/kmod/dev.h — /dev/mmulab, the misc character device (dev.c).
 */
#ifndef MMULAB_HW_KMOD_DEV_H
#define MMULAB_HW_KMOD_DEV_H

/* 0 or -errno. */
int mmulab_dev_register(void);
void mmulab_dev_unregister(void);

#endif
