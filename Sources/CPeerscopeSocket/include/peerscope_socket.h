#ifndef PEERSCOPE_SOCKET_H
#define PEERSCOPE_SOCKET_H
/* Socket helpers for the active tester: functions wrapping the control-message macros
   (CMSG_FIRSTHDR, IP_RECVTTL, IPV6_RECVHOPLIMIT, IP_PKTINFO) that Swift cannot import. */
#endif
