import CLibPQ
import Foundation

/// Lays out bind parameters for `PQexecParams` in scratch memory: one byte buffer holding every
/// value back to back (text NUL-terminated, bytea raw) plus the four parallel arrays libpq
/// wants. Small queries stay entirely on the stack; nothing outlives the call.
enum ParameterBuffer {
    /// `bytea`'s type OID; text parameters use 0 so the server infers their type from context
    /// (which is what lets `$1` bind to `uuid`, `jsonb`, `int[]`… without casts).
    private static let byteaOID: Oid = 17

    static func with<R>(
        _ binds: [any PostgresEncodable],
        _ body: (
            Int32, UnsafePointer<Oid>, UnsafePointer<UnsafePointer<CChar>?>,
            UnsafePointer<Int32>, UnsafePointer<Int32>
        ) -> R
    ) throws -> R {
        let count = binds.count
        return try withUnsafeTemporaryAllocation(of: PostgresData.self, capacity: count) { datas in
            var total = 0
            for index in 0..<count {
                let data = binds[index].postgresData
                (datas.baseAddress! + index).initialize(to: data)
                switch data {
                case .null: break
                case .text(let text): total += text.utf8.count + 1
                case .bytea(let bytes): total += bytes.count
                }
            }
            defer { datas.baseAddress!.deinitialize(count: count) }

            return try withUnsafeTemporaryAllocation(byteCount: max(total, 1), alignment: 1) { storage in
                try withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: count) { values in
                    try withUnsafeTemporaryAllocation(of: Int32.self, capacity: count * 2) { sizes in
                        try withUnsafeTemporaryAllocation(of: Oid.self, capacity: count) { types in
                            let base = storage.baseAddress!
                            let lengths = sizes.baseAddress!
                            let formats = sizes.baseAddress! + count
                            var offset = 0
                            for index in 0..<count {
                                let start = base + offset
                                switch datas[index] {
                                case .null:
                                    values[index] = nil
                                    lengths[index] = 0
                                    formats[index] = 0
                                    types[index] = 0
                                case .text(var text):
                                    let length = text.withUTF8 { utf8 -> Int in
                                        if utf8.count > 0 {
                                            start.copyMemory(from: utf8.baseAddress!, byteCount: utf8.count)
                                        }
                                        return utf8.count
                                    }
                                    // libpq reads text parameters as C strings: an embedded NUL
                                    // would silently truncate the value, so refuse it.
                                    if length > 0, memchr(start, 0, length) != nil {
                                        throw PostgresError(
                                            code: .invalidParameter,
                                            message: "parameter $\(index + 1) contains a NUL character, which PostgreSQL text cannot store")
                                    }
                                    start.storeBytes(of: 0, toByteOffset: length, as: UInt8.self)
                                    values[index] = UnsafePointer(start.assumingMemoryBound(to: CChar.self))
                                    lengths[index] = 0
                                    formats[index] = 0
                                    types[index] = 0
                                    offset += length + 1
                                case .bytea(let bytes):
                                    bytes.withUnsafeBytes { raw in
                                        if raw.count > 0 {
                                            start.copyMemory(from: raw.baseAddress!, byteCount: raw.count)
                                        }
                                    }
                                    values[index] = UnsafePointer(start.assumingMemoryBound(to: CChar.self))
                                    lengths[index] = Int32(bytes.count)
                                    formats[index] = 1
                                    types[index] = byteaOID
                                    offset += bytes.count
                                }
                            }
                            return body(
                                Int32(count), UnsafePointer(types.baseAddress!),
                                UnsafePointer(values.baseAddress!), UnsafePointer(lengths),
                                UnsafePointer(formats))
                        }
                    }
                }
            }
        }
    }
}
