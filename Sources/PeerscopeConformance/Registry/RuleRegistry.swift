/// Every rule unit, in one list per protocol. The order is the order in which a packet's findings
/// are listed (and so the report's order): keep it when adding a rule (conformance/README.md).
public enum RuleRegistry {
    /// The BFD rules (CONFORMANCE.md §1–5, §8), fresh for one run.
    public static func bfd(options: CheckOptions) -> [BFDRule] {
        let digest = AuthenticationDigestRule(keys: options.keys)
        let probe = BFDReceptionProbe()
        return [MalformedPacketRule()]
            // §1: packet format and the reception checks of RFC 5880 §6.8.6.
            + HeaderDiscardRule.all.map { HeaderDiscardRule($0, probe: probe) } + [
            YourDiscriminatorReflectRule(),
            PollFinalBothRule(),
            DiagnosticReservedRule(),
            AuthenticationTypeRule(),
            AuthenticationConsistentRule(),
            DemandWhenRule(),
            // §4: transport (RFC 5881, RFC 5883).
            DestinationPortRule(),
            SourcePortRangeRule(),
            SourcePortStableRule(),
            SingleHopTTLRule(),
            MultihopAuthenticationRule(),
            // §5: authentication.
            KeyIDRule(),
            digest,
            SequenceNumberRules(),
            // §2: the state machine.
            StateTransitionRules(),
            AdminDownReceivedRule(),
            DetectionTimeRules(),
            HandshakeRule(),
            // §3: timers.
            SlowStartRule(),
            NegotiationRule(),
            PollRequiredRule(),
            FinalReplyRule(),
            RemoteRxZeroRule(),
            TransmitGapRules(),
            // Whole sessions, at the end.
            SessionSummaryRules(),
            AuthenticationTallyRule(digest: digest),
            NeverUpRule(digest: digest),
            PortUniqueRule(),
            EchoRules(),
        ]
    }

    /// The BGP rules (CONFORMANCE.md §6, §7) and CAPTURE.TCP.HOLE, fresh for one run.
    public static func bgp(options: CheckOptions) -> [BGPRule] {
        [
            TCPHoleRule(),
            // Each message: its header, then either why it did not decode or what it says.
            MarkerRule(),
            MessageLengthRule(),
            MalformedMessageRule(),
            MessageSequenceRule(),
            OpenVersionRule(),
            OpenHoldTimeRule(),
            OpenIdentifierRule(),
            OpenAS4Rule(),
            EndOfRIBRule(),
            UpdateAttributeRules(),
            NotificationDecodeRule(),
            MessageTypeRule(),
            // Whole sessions, at the end.
            CapabilityNegotiationRules(),
            HoldTimeRule(),
            KeepaliveRateRule(),
            GTSMRule(),
            NeverEstablishedRule(options: options),
            // The BFD client (RFC 5882), once the failovers are known.
            FailoverClientRules(),
        ]
    }
}
