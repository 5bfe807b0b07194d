import PeerscopeEndpoint
import Testing

@Test("virtual time is plain nanoseconds")
func virtualTimeIsNanoseconds() {
    let second: EndpointTime.Nanoseconds = 1_000_000_000
    #expect(second / 1_000 == 1_000_000)
}
