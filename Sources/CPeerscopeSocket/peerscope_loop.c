/* See peerscope_socket.h. The event loop's kernel objects: clocks, epoll, timerfd, eventfd. */
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

int64_t ps_monotonic_ns(void) { return ps_clock_ns(CLOCK_MONOTONIC); }
int64_t ps_realtime_ns(void) { return ps_clock_ns(CLOCK_REALTIME); }


static uint32_t epoll_bits(uint32_t events) {
    uint32_t bits = 0;
    if (events & PS_EVENT_READABLE) bits |= EPOLLIN | EPOLLRDHUP;
    if (events & PS_EVENT_WRITABLE) bits |= EPOLLOUT;
    return bits;
}

int ps_epoll_create(void) {
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int ps_epoll_add(int epfd, int fd, uint32_t events, uint64_t token) {
    struct epoll_event event = {.events = epoll_bits(events), .data.u64 = token};
    RETURN_ERRNO_IF(epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) != 0);
    return 0;
}

int ps_epoll_modify(int epfd, int fd, uint32_t events, uint64_t token) {
    struct epoll_event event = {.events = epoll_bits(events), .data.u64 = token};
    RETURN_ERRNO_IF(epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &event) != 0);
    return 0;
}

int ps_epoll_remove(int epfd, int fd) {
    RETURN_ERRNO_IF(epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL) != 0);
    return 0;
}

int ps_epoll_wait(int epfd, ps_event *events, int capacity, int timeout_ms) {
    struct epoll_event raw[64];
    if (capacity > 64) capacity = 64;
    int count;
    do { count = epoll_wait(epfd, raw, capacity, timeout_ms); } while (count < 0 && errno == EINTR);
    if (count < 0) return -errno;
    for (int i = 0; i < count; i++) {
        uint32_t bits = 0;
        if (raw[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) bits |= PS_EVENT_READABLE;
        if (raw[i].events & EPOLLOUT) bits |= PS_EVENT_WRITABLE;
        if (raw[i].events & (EPOLLERR | EPOLLHUP)) bits |= PS_EVENT_ERROR;
        events[i].token = raw[i].data.u64;
        events[i].events = bits;
    }
    return count;
}

int ps_epoll_wait_until(int epfd, ps_event *events, int capacity, int64_t deadline_ns) {
#ifdef SYS_epoll_pwait2
    struct epoll_event raw[64];
    if (capacity > 64) capacity = 64;
    long count;
    do {
        struct timespec timeout;
        struct timespec *timeout_ptr = NULL;
        if (deadline_ns >= 0) {
            int64_t left = deadline_ns - ps_monotonic_ns();
            if (left < 0) left = 0;
            timeout.tv_sec = left / 1000000000;
            timeout.tv_nsec = left % 1000000000;
            timeout_ptr = &timeout;
        }
        count = syscall(SYS_epoll_pwait2, epfd, raw, capacity, timeout_ptr, NULL, 0);
    } while (count < 0 && errno == EINTR);
    if (count < 0) return -errno;
    for (long i = 0; i < count; i++) {
        uint32_t bits = 0;
        if (raw[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) bits |= PS_EVENT_READABLE;
        if (raw[i].events & EPOLLOUT) bits |= PS_EVENT_WRITABLE;
        if (raw[i].events & (EPOLLERR | EPOLLHUP)) bits |= PS_EVENT_ERROR;
        events[i].token = raw[i].data.u64;
        events[i].events = bits;
    }
    return (int)count;
#else
    (void)epfd; (void)events; (void)capacity; (void)deadline_ns;
    return -ENOSYS;
#endif
}

int ps_timerfd_create(void) {
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int ps_timerfd_arm(int tfd, int64_t deadline_ns) {
    struct itimerspec spec;
    memset(&spec, 0, sizeof spec);
    if (deadline_ns > 0) {
        spec.it_value.tv_sec = deadline_ns / 1000000000;
        spec.it_value.tv_nsec = deadline_ns % 1000000000;
    }
    /* Absolute time: a deadline computed from `now` does not drift by the cost of getting here.
       A deadline already past fires at once. */
    RETURN_ERRNO_IF(timerfd_settime(tfd, TFD_TIMER_ABSTIME, &spec, NULL) != 0);
    return 0;
}

int ps_timerfd_drain(int tfd) {
    uint64_t expirations;
    ssize_t count = read(tfd, &expirations, sizeof expirations);
    if (count < 0) return errno == EAGAIN ? 0 : -errno;
    return (int)expirations;
}

int ps_eventfd_create(void) {
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

int ps_eventfd_signal(int efd) {
    uint64_t one = 1;
    RETURN_ERRNO_IF(write(efd, &one, sizeof one) < 0 && errno != EAGAIN);
    return 0;
}

int ps_eventfd_drain(int efd) {
    uint64_t value;
    ssize_t count = read(efd, &value, sizeof value);
    if (count < 0) return errno == EAGAIN ? 0 : -errno;
    return 0;
}

