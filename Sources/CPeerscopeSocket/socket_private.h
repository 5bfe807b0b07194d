/* Shared by the CPeerscopeSocket sources: feature macro, errno convention, fallbacks. */
#ifndef PEERSCOPE_SOCKET_PRIVATE_H
#define PEERSCOPE_SOCKET_PRIVATE_H
#define _GNU_SOURCE
#include "peerscope_socket.h"

#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#define RETURN_ERRNO_IF(cond) do { if (cond) return -errno; } while (0)

static inline int64_t ps_clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
/* The control messages of one received datagram (TTL, packet info, kernel timestamp) into `info`;
   shared by ps_recvmsg and ps_recvmmsg so the parsing is written once. */
void ps_fill_recv_info(struct msghdr *message, const struct sockaddr_storage *source, int64_t monotonic_ns,
                       ps_recv_info *info);
#endif
