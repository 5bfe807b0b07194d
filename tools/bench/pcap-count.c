/* The baseline for tools/bench: read every packet of a capture with libpcap and count them,
 * nothing else. peerscope's per-packet cost is reported as a ratio to this loop. */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv) {
    char errbuf[PCAP_ERRBUF_SIZE];
    if (argc != 2) {
        fprintf(stderr, "usage: pcap-count FILE\n");
        return 2;
    }
    pcap_t *handle = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (handle == NULL) {
        fprintf(stderr, "pcap-count: %s\n", errbuf);
        return 2;
    }
    struct pcap_pkthdr *header;
    const u_char *data;
    long packets = 0;
    while (pcap_next_ex(handle, &header, &data) == 1) packets++;
    pcap_close(handle);
    printf("%ld\n", packets);
    return 0;
}
