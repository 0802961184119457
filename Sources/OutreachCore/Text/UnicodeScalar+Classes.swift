extension Unicode.Scalar {
    /// `properties.isWhitespace`, with ASCII answered without the Unicode property table (its
    /// lookup showed in the worker's profile: trimming and HTML-to-text run on every render).
    @inlinable
    public var isWhitespaceScalar: Bool {
        switch value {
        case 0x09...0x0D, 0x20: true
        case 0..<0x80: false
        default: properties.isWhitespace
        }
    }

    /// `properties.isAlphabetic`, with ASCII answered without the Unicode property table.
    @inlinable
    public var isAlphabeticScalar: Bool {
        switch value {
        case 0x41...0x5A, 0x61...0x7A: true
        case 0..<0x80: false
        default: properties.isAlphabetic
        }
    }
}
