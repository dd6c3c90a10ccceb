/*
 * core/list.h — an intrusive doubly linked list (the kernel's list_head,
 * reduced to what core/ uses).  Not thread-safe: the owner's lock protects it.
 */
#ifndef MMULAB_CORE_LIST_H
#define MMULAB_CORE_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
	struct list_node *next;
	struct list_node *prev;
};

#define list_entry(node, type, member) \
	((type *)((char *)(node) - offsetof(type, member)))

static inline void list_init(struct list_node *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool list_empty(const struct list_node *head)
{
	return head->next == head;
}

/* Insert `n` right after `head` (at the front). */
static inline void list_add(struct list_node *n, struct list_node *head)
{
	n->next = head->next;
	n->prev = head;
	head->next->prev = n;
	head->next = n;
}

/* Insert `n` right before `head` (at the back). */
static inline void list_add_tail(struct list_node *n, struct list_node *head)
{
	list_add(n, head->prev);
}

static inline void list_del(struct list_node *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n;
	n->prev = n;
}

#define list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* Safe against removal of `pos`. */
#define list_for_each_safe(pos, tmp, head) \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

#endif
