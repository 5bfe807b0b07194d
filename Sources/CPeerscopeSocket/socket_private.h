/* Shared by the CPeerscopeSocket sources: feature macro, errno convention, fallbacks. */
#ifndef PEERSCOPE_SOCKET_PRIVATE_H
#define PEERSCOPE_SOCKET_PRIVATE_H
#define _GNU_SOURCE
#include "peerscope_socket.h"

#include <errno.h>
#include <stdint.h>
#include <time.h>

#define RETURN_ERRNO_IF(cond) do { if (cond) return -errno; } while (0)

static inline int64_t ps_clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
#endif
