/// Text escaped for XML attribute values and character data (JUnit reports); see `WireText.xml`.
public enum XMLText {
    public static func escape(_ text: String) -> String { WireText.xml(text) }
}
