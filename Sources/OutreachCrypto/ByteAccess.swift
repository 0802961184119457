/// Gives C functions a pointer to the bytes of any collection without copying when the
/// collection already has contiguous storage (`[UInt8]`, `ArraySlice`, `UnsafeBufferPointer`,
/// `String.UTF8View` of a native string), and copies only otherwise.
///
/// The pointer is never nil, even for an empty collection: some libcrypto entry points treat
/// a NULL pointer differently from a zero-length buffer, so an empty input gets a pointer to a
/// one-byte dummy with count 0.
@inline(__always)
func withContiguousBytes<C: Collection<UInt8>, R>(
    _ bytes: C, _ body: (UnsafePointer<UInt8>, Int) throws -> R
) rethrows -> R {
    if let result = try bytes.withContiguousStorageIfAvailable({ buffer -> R in
        if let base = buffer.baseAddress, buffer.count > 0 {
            return try body(base, buffer.count)
        }
        return try withEmptyBytes(body)
    }) {
        return result
    }
    let copy = Array(bytes)
    return try copy.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress, buffer.count > 0 {
            return try body(base, buffer.count)
        }
        return try withEmptyBytes(body)
    }
}

@inline(__always)
private func withEmptyBytes<R>(_ body: (UnsafePointer<UInt8>, Int) throws -> R) rethrows -> R {
    var dummy: UInt8 = 0
    return try withUnsafePointer(to: &dummy) { try body($0, 0) }
}
