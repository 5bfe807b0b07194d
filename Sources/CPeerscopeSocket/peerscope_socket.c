/* See peerscope_socket.h. Sockets: addresses, options, recvmsg/sendmsg with the control-message
   plumbing Swift cannot express (the CMSG_* macros), TCP. Each function is one syscall. */
#include "socket_private.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_MINTTL
#define IP_MINTTL 21
#endif
#ifndef IPV6_MINHOPCOUNT
#define IPV6_MINHOPCOUNT 73
#endif

static int set_int(int fd, int level, int name, int value) {
    RETURN_ERRNO_IF(setsockopt(fd, level, name, &value, sizeof value) != 0);
    return 0;
}

static int get_int(int fd, int level, int name) {
    int value = 0;
    socklen_t length = sizeof value;
    RETURN_ERRNO_IF(getsockopt(fd, level, name, &value, &length) != 0);
    return value;
}

static int domain_of(int family) {
    return family == 4 ? AF_INET : family == 6 ? AF_INET6 : -1;
}

/* ps_endpoint <-> sockaddr. Returns the sockaddr length, or 0 for an unknown family. */
static socklen_t to_sockaddr(const ps_endpoint *endpoint, struct sockaddr_storage *out) {
    memset(out, 0, sizeof *out);
    if (endpoint->family == 4) {
        struct sockaddr_in *sin = (struct sockaddr_in *)out;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(endpoint->port);
        memcpy(&sin->sin_addr, endpoint->address, 4);
        return sizeof *sin;
    }
    if (endpoint->family == 6) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(endpoint->port);
        memcpy(&sin6->sin6_addr, endpoint->address, 16);
        sin6->sin6_scope_id = endpoint->scope_id;
        return sizeof *sin6;
    }
    return 0;
}

int ps_sockaddr_to_endpoint(const void *sockaddr, ps_endpoint *out) {
    const struct sockaddr *sa = sockaddr;
    memset(out, 0, sizeof *out);
    if (sa == NULL) return -EINVAL;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *sin = sockaddr;
        out->family = 4;
        memcpy(out->address, &sin->sin_addr, 4);
        out->port = ntohs(sin->sin_port);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = sockaddr;
        out->family = 6;
        memcpy(out->address, &sin6->sin6_addr, 16);
        out->port = ntohs(sin6->sin6_port);
        out->scope_id = sin6->sin6_scope_id;
        return 0;
    }
    return -EAFNOSUPPORT;
}

int ps_udp_open(int family) {
    int domain = domain_of(family);
    if (domain < 0) return -EAFNOSUPPORT;
    int fd = socket(domain, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
    RETURN_ERRNO_IF(fd < 0);
    int status;
    if (family == 4) {
        /* RFC 5881 §5 / RFC 5082: the receiver must see the TTL; packet info gives the
           destination address and interface a single-hop session is keyed by. */
        if ((status = set_int(fd, IPPROTO_IP, IP_RECVTTL, 1)) < 0) goto fail;
        if ((status = set_int(fd, IPPROTO_IP, IP_PKTINFO, 1)) < 0) goto fail;
    } else {
        if ((status = set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1)) < 0) goto fail;
        if ((status = set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1)) < 0) goto fail;
        if ((status = set_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)) < 0) goto fail;
    }
    if ((status = set_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1)) < 0) goto fail;
    return fd;
fail:
    close(fd);
    return status;
}

int ps_tcp_open(int family) {
    int domain = domain_of(family);
    if (domain < 0) return -EAFNOSUPPORT;
    int fd = socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    RETURN_ERRNO_IF(fd < 0);
    int status;
    if (family == 6 && (status = set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1)) < 0) goto fail;
    /* BGP messages are written whole; Nagle would only delay KEEPALIVEs behind UPDATEs. */
    if ((status = set_int(fd, IPPROTO_TCP, TCP_NODELAY, 1)) < 0) goto fail;
    return fd;
fail:
    close(fd);
    return status;
}

int ps_bind(int fd, const ps_endpoint *local) {
    struct sockaddr_storage storage;
    socklen_t length = to_sockaddr(local, &storage);
    if (length == 0) return -EAFNOSUPPORT;
    RETURN_ERRNO_IF(bind(fd, (struct sockaddr *)&storage, length) != 0);
    return 0;
}

int ps_set_reuseaddr(int fd, int on) { return set_int(fd, SOL_SOCKET, SO_REUSEADDR, on ? 1 : 0); }

int ps_bind_to_device(int fd, const char *ifname) {
    size_t length = strnlen(ifname, IFNAMSIZ);
    if (length >= IFNAMSIZ) return -ENAMETOOLONG;
    RETURN_ERRNO_IF(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)length) != 0);
    return 0;
}

int ps_set_ttl(int fd, int family, int ttl) {
    return family == 4 ? set_int(fd, IPPROTO_IP, IP_TTL, ttl) : set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl);
}

int ps_get_ttl(int fd, int family) {
    return family == 4 ? get_int(fd, IPPROTO_IP, IP_TTL) : get_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS);
}

int ps_set_min_ttl(int fd, int family, int min_ttl) {
    return family == 4 ? set_int(fd, IPPROTO_IP, IP_MINTTL, min_ttl)
                       : set_int(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, min_ttl);
}

int ps_get_min_ttl(int fd, int family) {
    return family == 4 ? get_int(fd, IPPROTO_IP, IP_MINTTL) : get_int(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT);
}

int ps_local_endpoint(int fd, ps_endpoint *out) {
    struct sockaddr_storage storage;
    socklen_t length = sizeof storage;
    RETURN_ERRNO_IF(getsockname(fd, (struct sockaddr *)&storage, &length) != 0);
    return ps_sockaddr_to_endpoint(&storage, out);
}

int ps_peer_endpoint(int fd, ps_endpoint *out) {
    struct sockaddr_storage storage;
    socklen_t length = sizeof storage;
    RETURN_ERRNO_IF(getpeername(fd, (struct sockaddr *)&storage, &length) != 0);
    return ps_sockaddr_to_endpoint(&storage, out);
}

ssize_t ps_recvmsg(int fd, void *buffer, size_t capacity, ps_recv_info *info) {
    struct sockaddr_storage source;
    /* Room for TTL, packet info and a timestamp with generous slack; aligned as cmsghdr. */
    union {
        char bytes[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo)) +
                   CMSG_SPACE(sizeof(struct timespec)) + 64];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = buffer, .iov_len = capacity};
    struct msghdr message = {
        .msg_name = &source, .msg_namelen = sizeof source,
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control.bytes, .msg_controllen = sizeof control.bytes,
    };
    /* MSG_TRUNC makes recvmsg return the datagram's real length even when it did not fit. */
    ssize_t received = recvmsg(fd, &message, MSG_TRUNC | MSG_DONTWAIT);
    if (received < 0) return -errno;

    ps_fill_recv_info(&message, &source, ps_monotonic_ns(), info);
    return received;
}

void ps_fill_recv_info(struct msghdr *message, const struct sockaddr_storage *source, int64_t monotonic_ns,
                       ps_recv_info *info) {
    memset(info, 0, sizeof *info);
    info->monotonic_ns = monotonic_ns;
    info->ttl = -1;
    info->truncated = (message->msg_flags & MSG_TRUNC) != 0;
    ps_sockaddr_to_endpoint(source, &info->source);

    for (struct cmsghdr *c = CMSG_FIRSTHDR(message); c != NULL; c = CMSG_NXTHDR(message, c)) {
        if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) {
            int ttl;
            memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
            info->ttl = ttl;
        } else if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
            struct in_pktinfo pktinfo;
            memcpy(&pktinfo, CMSG_DATA(c), sizeof pktinfo);
            info->destination.family = 4;
            /* ipi_addr is the header's destination; ipi_spec_dst would be the route's local address. */
            memcpy(info->destination.address, &pktinfo.ipi_addr, 4);
            info->ifindex = pktinfo.ipi_ifindex;
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT) {
            int hops;
            memcpy(&hops, CMSG_DATA(c), sizeof hops);
            info->ttl = hops;
        } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            struct in6_pktinfo pktinfo;
            memcpy(&pktinfo, CMSG_DATA(c), sizeof pktinfo);
            info->destination.family = 6;
            memcpy(info->destination.address, &pktinfo.ipi6_addr, 16);
            info->ifindex = (int32_t)pktinfo.ipi6_ifindex;
            info->destination.scope_id = pktinfo.ipi6_ifindex;
        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;
            memcpy(&ts, CMSG_DATA(c), sizeof ts);
            info->kernel_realtime_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
        }
    }
}

ssize_t ps_sendmsg(int fd, const void *bytes, size_t length, const ps_endpoint *to, int ttl) {
    struct sockaddr_storage destination;
    socklen_t destination_length = to_sockaddr(to, &destination);
    if (destination_length == 0) return -EAFNOSUPPORT;
    if (ttl > 255) return -EINVAL;
    union {
        char bytes[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    struct iovec iov = {.iov_base = (void *)bytes, .iov_len = length};
    struct msghdr message = {
        .msg_name = &destination, .msg_namelen = destination_length,
        .msg_iov = &iov, .msg_iovlen = 1,
    };
    if (ttl >= 0) {
        /* Per-packet TTL: Linux accepts IP_TTL as a sendmsg control message (since 4.x) and
           IPV6_HOPLIMIT per RFC 3542, so a probe's TTL 254 never changes the socket's 255. */
        memset(&control, 0, sizeof control);
        message.msg_control = control.bytes;
        message.msg_controllen = sizeof control.bytes;
        struct cmsghdr *c = CMSG_FIRSTHDR(&message);
        c->cmsg_level = to->family == 4 ? IPPROTO_IP : IPPROTO_IPV6;
        c->cmsg_type = to->family == 4 ? IP_TTL : IPV6_HOPLIMIT;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &ttl, sizeof ttl);
    }
    ssize_t sent = sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    return sent < 0 ? -errno : sent;
}

int ps_connect(int fd, const ps_endpoint *peer) {
    struct sockaddr_storage storage;
    socklen_t length = to_sockaddr(peer, &storage);
    if (length == 0) return -EAFNOSUPPORT;
    RETURN_ERRNO_IF(connect(fd, (struct sockaddr *)&storage, length) != 0);
    return 0;
}

int ps_socket_error(int fd) {
    int error = get_int(fd, SOL_SOCKET, SO_ERROR);
    return error < 0 ? error : -error;
}

int ps_listen(int fd, int backlog) {
    RETURN_ERRNO_IF(listen(fd, backlog) != 0);
    return 0;
}

int ps_accept(int fd, ps_endpoint *peer) {
    struct sockaddr_storage storage;
    socklen_t length = sizeof storage;
    int accepted = accept4(fd, (struct sockaddr *)&storage, &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    RETURN_ERRNO_IF(accepted < 0);
    if (peer != NULL) ps_sockaddr_to_endpoint(&storage, peer);
    return accepted;
}

ssize_t ps_read(int fd, void *buffer, size_t capacity) {
    ssize_t count;
    do { count = read(fd, buffer, capacity); } while (count < 0 && errno == EINTR);
    return count < 0 ? -errno : count;
}

ssize_t ps_write(int fd, const void *bytes, size_t length) {
    ssize_t count;
    /* send, not write: MSG_NOSIGNAL turns a reset peer into -EPIPE instead of killing the process. */
    do { count = send(fd, bytes, length, MSG_NOSIGNAL | MSG_DONTWAIT); } while (count < 0 && errno == EINTR);
    return count < 0 ? -errno : count;
}

int ps_shutdown_write(int fd) {
    RETURN_ERRNO_IF(shutdown(fd, SHUT_WR) != 0);
    return 0;
}

int ps_close(int fd) {
    /* Linux always releases the fd, even when close reports EINTR: never retry. */
    RETURN_ERRNO_IF(close(fd) != 0);
    return 0;
}
int ps_netns_enter(const char *path) {
    int saved = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    RETURN_ERRNO_IF(saved < 0);
    int target = open(path, O_RDONLY | O_CLOEXEC);
    if (target < 0) {
        int error = errno;
        close(saved);
        return -error;
    }
    int status = setns(target, CLONE_NEWNET);
    int error = errno;
    close(target);
    if (status != 0) {
        close(saved);
        return -error;
    }
    return saved;
}

int ps_netns_restore(int saved) {
    int status = setns(saved, CLONE_NEWNET);
    int error = errno;
    close(saved);
    return status != 0 ? -error : 0;
}

int ps_set_timer_slack_ns(unsigned long slack_ns) {
    RETURN_ERRNO_IF(prctl(PR_SET_TIMERSLACK, slack_ns, 0, 0, 0) != 0);
    return 0;
}

int ps_set_realtime_priority(int priority) {
    struct sched_param param = {.sched_priority = priority};
    /* pid 0 is the calling thread on Linux (the policy is per thread). */
    RETURN_ERRNO_IF(sched_setscheduler(0, priority > 0 ? SCHED_FIFO : SCHED_OTHER, &param) != 0);
    return 0;
}

int ps_pin_to_cpu(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return -EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    RETURN_ERRNO_IF(sched_setaffinity(0, sizeof set, &set) != 0);
    return 0;
}

int ps_set_receive_buffer(int fd, int bytes) {
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0) {
        RETURN_ERRNO_IF(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) != 0);
    }
    int granted = 0;
    socklen_t length = sizeof granted;
    RETURN_ERRNO_IF(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &length) != 0);
    return granted;
}

