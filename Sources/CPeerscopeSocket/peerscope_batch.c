/* See peerscope_socket.h. Batched datagram I/O for pools of many sessions: recvmmsg reads a burst
   of datagrams in one call, and a raw IPv4 socket sends datagrams of many sessions (each with its
   own source address and port) in one sendmmsg (issue 14 item 5: fewer syscalls per packet). */
#include "socket_private.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { CONTROL_BYTES = CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo)) +
                       CMSG_SPACE(sizeof(struct timespec)) + 64 };

int ps_recvmmsg(int fd, void *buffers, size_t slot_bytes, int count, ps_recv_info *infos, int64_t *lengths) {
    if (count <= 0) return 0;
    if (count > PS_BATCH_MAX) count = PS_BATCH_MAX;
    struct mmsghdr messages[PS_BATCH_MAX];
    struct iovec iovs[PS_BATCH_MAX];
    struct sockaddr_storage sources[PS_BATCH_MAX];
    union {
        char bytes[CONTROL_BYTES];
        struct cmsghdr align;
    } controls[PS_BATCH_MAX];
    for (int i = 0; i < count; i++) {
        iovs[i].iov_base = (char *)buffers + (size_t)i * slot_bytes;
        iovs[i].iov_len = slot_bytes;
        memset(&messages[i], 0, sizeof messages[i]);
        messages[i].msg_hdr.msg_name = &sources[i];
        messages[i].msg_hdr.msg_namelen = sizeof sources[i];
        messages[i].msg_hdr.msg_iov = &iovs[i];
        messages[i].msg_hdr.msg_iovlen = 1;
        messages[i].msg_hdr.msg_control = controls[i].bytes;
        messages[i].msg_hdr.msg_controllen = sizeof controls[i].bytes;
    }
    /* MSG_TRUNC: msg_len is the datagram's real length even when it did not fit its slot. */
    int received;
    do { received = recvmmsg(fd, messages, (unsigned)count, MSG_DONTWAIT | MSG_TRUNC, NULL); }
    while (received < 0 && errno == EINTR);
    if (received < 0) return -errno;
    /* One clock reading for the burst: every datagram in it was already queued when the call began. */
    int64_t now = ps_monotonic_ns();
    for (int i = 0; i < received; i++) {
        ps_fill_recv_info(&messages[i].msg_hdr, &sources[i], now, &infos[i]);
        lengths[i] = (int64_t)messages[i].msg_len;
    }
    return received;
}

int ps_raw_udp4_open(void) {
    /* IPPROTO_RAW implies IP_HDRINCL and receives nothing: a send-only socket. */
    int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_RAW);
    return fd < 0 ? -errno : fd;
}

static uint32_t sum16(const uint8_t *bytes, size_t length, uint32_t sum) {
    for (size_t i = 0; i + 1 < length; i += 2) sum += (uint32_t)bytes[i] << 8 | bytes[i + 1];
    if (length & 1) sum += (uint32_t)bytes[length - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum) {
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    return (uint16_t)~sum;
}

int ps_raw_udp4_sendmmsg(int fd, const ps_raw_datagram *datagrams, const uint8_t *payloads, int count) {
    if (count <= 0) return 0;
    if (count > PS_BATCH_MAX) count = PS_BATCH_MAX;
    struct mmsghdr messages[PS_BATCH_MAX];
    struct iovec iovs[PS_BATCH_MAX][2];
    struct sockaddr_in destinations[PS_BATCH_MAX];
    uint8_t headers[PS_BATCH_MAX][28];
    for (int i = 0; i < count; i++) {
        const ps_raw_datagram *d = &datagrams[i];
        const uint8_t *payload = payloads + d->payload_offset;
        uint16_t udp_length = (uint16_t)(8 + d->payload_length);
        uint16_t total = (uint16_t)(20 + udp_length);
        uint8_t *ip = headers[i], *udp = headers[i] + 20;
        /* RFC 791 header: version 4, IHL 5; the kernel fills Total Length, Identification (when 0)
           and the header checksum for IP_HDRINCL; they are written anyway for clarity. */
        memset(ip, 0, 20);
        ip[0] = 0x45;
        ip[1] = d->tos;
        ip[2] = (uint8_t)(total >> 8); ip[3] = (uint8_t)total;
        ip[6] = 0x40; /* DF, as the kernel's UDP sockets send with path MTU discovery on */
        ip[8] = d->ttl;
        ip[9] = IPPROTO_UDP;
        memcpy(ip + 12, d->source, 4);
        memcpy(ip + 16, d->destination, 4);
        /* RFC 768 header and checksum over the pseudo-header, header and data. */
        udp[0] = (uint8_t)(d->source_port >> 8); udp[1] = (uint8_t)d->source_port;
        udp[2] = (uint8_t)(d->destination_port >> 8); udp[3] = (uint8_t)d->destination_port;
        udp[4] = (uint8_t)(udp_length >> 8); udp[5] = (uint8_t)udp_length;
        udp[6] = 0; udp[7] = 0;
        uint32_t sum = sum16(ip + 12, 8, IPPROTO_UDP + udp_length);
        sum = sum16(udp, 8, sum);
        sum = sum16(payload, d->payload_length, sum);
        uint16_t checksum = fold(sum);
        if (checksum == 0) checksum = 0xFFFF; /* RFC 768: a computed 0 is sent as all ones */
        udp[6] = (uint8_t)(checksum >> 8); udp[7] = (uint8_t)checksum;

        memset(&destinations[i], 0, sizeof destinations[i]);
        destinations[i].sin_family = AF_INET;
        memcpy(&destinations[i].sin_addr, d->destination, 4);
        iovs[i][0].iov_base = headers[i];
        iovs[i][0].iov_len = 28;
        iovs[i][1].iov_base = (void *)payload;
        iovs[i][1].iov_len = d->payload_length;
        memset(&messages[i], 0, sizeof messages[i]);
        messages[i].msg_hdr.msg_name = &destinations[i];
        messages[i].msg_hdr.msg_namelen = sizeof destinations[i];
        messages[i].msg_hdr.msg_iov = iovs[i];
        messages[i].msg_hdr.msg_iovlen = 2;
    }
    int sent;
    do { sent = sendmmsg(fd, messages, (unsigned)count, MSG_DONTWAIT | MSG_NOSIGNAL); }
    while (sent < 0 && errno == EINTR);
    return sent < 0 ? -errno : sent;
}
