#ifndef PEERSCOPE_SOCKET_H
#define PEERSCOPE_SOCKET_H
/* Socket helpers for the active tester: functions wrapping the control-message macros
   (CMSG_FIRSTHDR, IP_RECVTTL, IPV6_RECVHOPLIMIT, IP_PKTINFO) that Swift cannot import, plus the
   few Linux calls whose structs Swift imports awkwardly (epoll_event is packed on x86-64).

   Conventions: every function that can fail returns a negative errno (-EAGAIN, -EADDRINUSE, …);
   file descriptors are nonblocking and close-on-exec; ports are in host byte order; addresses are
   16 bytes in network byte order with IPv4 in the first four. Linux only. */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One side of a datagram or connection. `family` is 4 or 6 (not AF_*: the numbers differ per OS). */
typedef struct ps_endpoint {
    int32_t family;
    uint8_t address[16];
    uint16_t port;
    uint32_t scope_id;
} ps_endpoint;

/* What the kernel told us about one received datagram. */
typedef struct ps_recv_info {
    ps_endpoint source;
    /* The destination address of the IP header (IP_PKTINFO / IPV6_PKTINFO); port 0 (the caller knows
       which port the socket is bound to). family 0 when the kernel gave no packet info. */
    ps_endpoint destination;
    /* Receiving interface (from packet info); 0 when unknown. */
    int32_t ifindex;
    /* Received IPv4 TTL or IPv6 hop limit; -1 when the kernel gave none. */
    int32_t ttl;
    /* SO_TIMESTAMPNS: when the kernel received the packet, CLOCK_REALTIME ns; 0 when absent. */
    int64_t kernel_realtime_ns;
    /* CLOCK_MONOTONIC read right after recvmsg returned (the clock the sans-IO machines run on). */
    int64_t monotonic_ns;
    /* The datagram was longer than the buffer (MSG_TRUNC); the return value is its full length. */
    int32_t truncated;
} ps_recv_info;

/* CLOCK_MONOTONIC and CLOCK_REALTIME in nanoseconds. */
int64_t ps_monotonic_ns(void);
int64_t ps_realtime_ns(void);

/* A nonblocking UDP socket for family 4 or 6 with received TTL/hop limit, packet info and kernel
   timestamps switched on; IPv6 sockets are IPv6-only. Returns the fd or -errno. */
int ps_udp_open(int family);
/* A nonblocking TCP socket (TCP_NODELAY; IPv6-only for family 6). Returns the fd or -errno. */
int ps_tcp_open(int family);

int ps_bind(int fd, const ps_endpoint *local);
int ps_set_reuseaddr(int fd, int on);
/* SO_BINDTODEVICE; an empty name unbinds. */
int ps_bind_to_device(int fd, const char *ifname);
/* Unicast TTL (IP_TTL) or hop limit (IPV6_UNICAST_HOPS) for everything the socket sends. */
int ps_set_ttl(int fd, int family, int ttl);
int ps_get_ttl(int fd, int family);
/* GTSM (RFC 5082): drop received packets whose TTL/hop limit is below `min_ttl`
   (IP_MINTTL / IPV6_MINHOPCOUNT). On a listening TCP socket this also applies to the SYN. */
int ps_set_min_ttl(int fd, int family, int min_ttl);
int ps_get_min_ttl(int fd, int family);

int ps_local_endpoint(int fd, ps_endpoint *out);
int ps_peer_endpoint(int fd, ps_endpoint *out);

/* One datagram into `buffer`; returns its full length (possibly > capacity, then `truncated`) or -errno
   (-EAGAIN when nothing is queued). */
ssize_t ps_recvmsg(int fd, void *buffer, size_t capacity, ps_recv_info *info);
/* One datagram to `to`. `ttl` >= 0 sends this packet with that TTL/hop limit (an IP_TTL /
   IPV6_HOPLIMIT control message); -1 uses the socket's setting. Returns bytes sent or -errno. */
ssize_t ps_sendmsg(int fd, const void *bytes, size_t length, const ps_endpoint *to, int ttl);

/* Batched I/O (issue 14 item 5): at most PS_BATCH_MAX datagrams per call. */
enum { PS_BATCH_MAX = 64 };

/* Up to `count` queued datagrams in one recvmmsg: datagram i into `buffers + i * slot_bytes`, its
   full length in lengths[i] (> slot_bytes when truncated) and its metadata in infos[i]. Returns how
   many were read (0 never: -EAGAIN when none is queued) or -errno. */
int ps_recvmmsg(int fd, void *buffers, size_t slot_bytes, int count, ps_recv_info *infos, int64_t *lengths);

/* One IPv4/UDP datagram for ps_raw_udp4_sendmmsg: addresses in network byte order, ports in host
   order, the payload at payloads + payload_offset. */
typedef struct ps_raw_datagram {
    uint8_t source[4];
    uint8_t destination[4];
    uint16_t source_port;
    uint16_t destination_port;
    uint8_t ttl;
    uint8_t tos;
    uint16_t payload_length;
    uint32_t payload_offset;
} ps_raw_datagram;

/* A send-only raw IPv4 socket (IPPROTO_RAW, so IP_HDRINCL); needs CAP_NET_RAW. */
int ps_raw_udp4_open(void);
/* Sends `count` datagrams, each with its own source address and port, in one sendmmsg: the IPv4
   and UDP headers (checksum included) are written here. Returns how many the kernel took (fewer
   than `count` when it refused the next one) or -errno when it took none. */
int ps_raw_udp4_sendmmsg(int fd, const ps_raw_datagram *datagrams, const uint8_t *payloads, int count);

/* TCP: nonblocking connect returns 0 or -EINPROGRESS; then wait for writability and read
   ps_socket_error. */
int ps_connect(int fd, const ps_endpoint *peer);
int ps_socket_error(int fd);
int ps_listen(int fd, int backlog);
/* Returns the new nonblocking fd or -errno; `peer` may be NULL. */
int ps_accept(int fd, ps_endpoint *peer);
ssize_t ps_read(int fd, void *buffer, size_t capacity);
ssize_t ps_write(int fd, const void *bytes, size_t length);
int ps_shutdown_write(int fd);
int ps_close(int fd);

/* Converts a sockaddr (AF_INET/AF_INET6) as getifaddrs hands it out; -EAFNOSUPPORT otherwise. */
int ps_sockaddr_to_endpoint(const void *sockaddr, ps_endpoint *out);

/* epoll with a CLOCK_MONOTONIC timerfd for deadlines (absolute, ns) and an eventfd to wake it
   from another thread. */
enum { PS_EVENT_READABLE = 1, PS_EVENT_WRITABLE = 2, PS_EVENT_ERROR = 4 };
typedef struct ps_event {
    uint64_t token;
    uint32_t events; /* PS_EVENT_* bits */
} ps_event;

int ps_epoll_create(void);
/* `events` is PS_EVENT_READABLE | PS_EVENT_WRITABLE; level-triggered. */
int ps_epoll_add(int epfd, int fd, uint32_t events, uint64_t token);
int ps_epoll_modify(int epfd, int fd, uint32_t events, uint64_t token);
int ps_epoll_remove(int epfd, int fd);
/* Waits for up to `capacity` events; `timeout_ms` -1 blocks. Returns the count or -errno
   (-EINTR is retried inside). */
int ps_epoll_wait(int epfd, ps_event *events, int capacity, int timeout_ms);

/* Like ps_epoll_wait, but until the absolute CLOCK_MONOTONIC time `deadline_ns` (< 0 blocks) with
   nanosecond resolution: epoll_pwait2 (Linux 5.11), so no timerfd has to be re-armed per wait.
   -ENOSYS where the kernel lacks it. */
int ps_epoll_wait_until(int epfd, ps_event *events, int capacity, int64_t deadline_ns);

int ps_timerfd_create(void);
/* Arms the timer to fire at the absolute CLOCK_MONOTONIC time `deadline_ns`; 0 disarms. */
int ps_timerfd_arm(int tfd, int64_t deadline_ns);
/* Consumes the expiry count so the fd stops being readable. */
int ps_timerfd_drain(int tfd);

int ps_eventfd_create(void);
int ps_eventfd_signal(int efd);
int ps_eventfd_drain(int efd);

/* Network namespaces, for tests and for testers that own a namespace: switches the calling thread
   into the namespace at `path` (e.g. /run/netns/NAME) and returns an fd for the one it left, or
   -errno. Sockets keep the namespace they were created in. */
int ps_netns_enter(const char *path);
/* Returns the thread to the namespace `saved` (from ps_netns_enter) and closes it. */
int ps_netns_restore(int saved);

/* Low-resolution waiting is the enemy of a 3.3 ms BFD interval: sets the calling thread's timer
   slack (PR_SET_TIMERSLACK, default 50 µs); 0 restores the default. */
int ps_set_timer_slack_ns(unsigned long slack_ns);

/* SCHED_FIFO at `priority` (1-99) for the calling thread, so a loop keeping 3.3 ms intervals is not
   queued behind other processes' work; needs CAP_SYS_NICE. 0 returns to SCHED_OTHER. */
int ps_set_realtime_priority(int priority);

/* SO_RCVBUF of `bytes` (SO_RCVBUFFORCE first, which may exceed rmem_max with CAP_NET_ADMIN), so a
   burst of thousands of sessions' packets is queued rather than dropped. Returns the size granted. */
int ps_set_receive_buffer(int fd, int bytes);

/* Pins the calling thread to one CPU (sched_setaffinity), so a benchmark's figure is "one core".
   -EINVAL when the CPU does not exist or is not allowed. */
int ps_pin_to_cpu(int cpu);

#ifdef __cplusplus
}
#endif
#endif
