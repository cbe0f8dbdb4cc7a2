/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VMMD_VMCHAN_H
#define VMMD_VMCHAN_H

/*
 * vmmsg over a SOCK_SEQPACKET socket: one record per message, so a
 * record is a whole message or it is refused; fds ride along with
 * SCM_RIGHTS. Used the same way by the daemon and the VM process.
 */
#include "vmmsg.h"

/* Send @m with its fds (vmmsg_nfds(m) of them): 0, or -1 with errno. */
int vmchan_send(int fd, const struct vmmsg *m, const int *fds);
/*
 * Receive one message sent toward @dir. Returns 1 with @m (and the fds it
 * carries in @fds, VMMSG_FDS_MAX slots), 0 at end of stream, 2 when no
 * message waits on a non-blocking socket, -1 for a record
 * that is not a valid message, or that carries other fds than its type
 * says (all received fds are then closed).
 */
int vmchan_recv(int fd, enum vmmsg_dir dir, struct vmmsg *m, int *fds);

#endif /* VMMD_VMCHAN_H */
