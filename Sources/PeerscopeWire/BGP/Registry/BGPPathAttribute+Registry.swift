extension BGPPathAttribute {
    /// An attribute whose Optional and Transitive bits are the ones its definition sets, from the
    /// attribute table, so that what we send cannot disagree with what we check on receipt. A type
    /// the table does not know is sent optional transitive, as RFC 4271 §5 lets a new attribute
    /// cross speakers that do not recognise it.
    public init(_ value: Value) {
        self.init(flags: 0, value: value)
        flags = BGPAttributeType.known(typeCode)?.expectedFlags ?? BGPPathAttribute.optional | BGPPathAttribute.transitive
    }
}
