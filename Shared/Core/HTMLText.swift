/// Text made safe for HTML: `& < > " '` escaped, so it is literal in element content
/// and in quoted attribute values (Notify's emails, Records' printable transcript).
///
/// ```swift
/// HTMLText.escape("<b>Tom & \"Jerry\"</b>")   // "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;"
/// ```
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        let special: (UInt8) -> Bool = { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }
        guard text.utf8.contains(where: special) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x26: output += Array("&amp;".utf8)
            case 0x3C: output += Array("&lt;".utf8)
            case 0x3E: output += Array("&gt;".utf8)
            case 0x22: output += Array("&quot;".utf8)
            case 0x27: output += Array("&#39;".utf8)
            default: output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
