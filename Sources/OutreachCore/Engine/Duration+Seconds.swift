extension Duration {
    /// The duration in (fractional) seconds, for SQL intervals and `Date` arithmetic.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
