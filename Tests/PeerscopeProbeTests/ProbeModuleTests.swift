import PeerscopeProbe
import Testing

@Test("the probe module links")
func probeModuleLinks() {
    #expect(Bool(true))
}
