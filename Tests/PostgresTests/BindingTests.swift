import Foundation
import Postgres
import Testing

@Suite("Parameter binding and decoding")
struct BindingTests {
    @Test("scalars round-trip, including extremes")
    func scalars() async throws {
        try await withTestConnection { connection, _ async throws in
            for value in ["", "plain", "Unicode: àéîõü ß 漢字", "emoji 👩‍👩‍👧‍👦🚀", "quote ' and \" and \\ and ;"] {
                #expect(try await roundTrip(value, as: "text", on: connection) == value)
            }
            for value in [0, 1, -1, Int.max, Int.min] {
                #expect(try await roundTrip(value, as: "int8", on: connection) == value)
            }
            #expect(try await roundTrip(Int64.min, as: "int8", on: connection) == Int64.min)
            #expect(try await roundTrip(Int32.max, as: "int4", on: connection) == Int32.max)
            #expect(try await roundTrip(Int16.min, as: "int2", on: connection) == Int16.min)
            for value in [0.0, -1.5, 0.1, 1e-300, 1.7976931348623157e308, .infinity, -.infinity] {
                #expect(try await roundTrip(value, as: "float8", on: connection) == value)
            }
            #expect(try await roundTrip(Double.nan, as: "float8", on: connection).isNaN)
            #expect(try await roundTrip(true, as: "boolean", on: connection) == true)
            #expect(try await roundTrip(false, as: "boolean", on: connection) == false)
            let uuid = UUID()
            #expect(try await roundTrip(uuid, as: "uuid", on: connection) == uuid)
        }
    }

    @Test("NULL binds through Optional and decodes as nil; non-optional NULL is a decoding error")
    func nulls() async throws {
        try await withTestConnection { connection, _ async throws in
            let none: String? = nil
            let rows = try await connection.query(
                "SELECT $1::text AS a, $2::int8 AS b, $3::uuid AS c, $4::text AS d",
                none, Int?.none, PostgresData.null, "")
            #expect(try rows[0].decode("a", as: String?.self) == nil)
            #expect(try rows[0].decode("b", as: Int?.self) == nil)
            #expect(try rows[0].decode("c", as: UUID?.self) == nil)
            #expect(rows[0]["a"] == nil)
            #expect(rows[0]["d"] == "")  // empty string is not NULL
            #expect(try rows[0].decode("d", as: String?.self) == "")
            let error = #expect(throws: PostgresError.self) { try rows[0].decode("a", as: String.self) }
            #expect(error?.code == .decoding)
            #expect(error?.message.contains("\"a\"") == true)
            let missing = #expect(throws: PostgresError.self) { try rows[0].decode("nope", as: String.self) }
            #expect(missing?.code == .decoding)
        }
    }

    @Test("timestamptz keeps microseconds and is time zone correct")
    func timestamps() async throws {
        try await withTestConnection { connection, _ async throws in
            // 2024-02-29 23:59:59.123456 UTC, built from integer microseconds.
            let micros: Int64 = 1_709_251_199_123_456
            let date = Date(timeIntervalSince1970: Double(micros) / 1_000_000)
            let back = try await roundTrip(date, as: "timestamptz", on: connection)
            #expect(Int64((back.timeIntervalSince1970 * 1_000_000).rounded()) == micros)

            // The server's own view of the value: exact text and epoch microseconds.
            let rows = try await connection.query(
                "SELECT $1::timestamptz::text AS t, (extract(epoch FROM $1::timestamptz) * 1000000)::int8 AS us", [date])
            #expect(rows[0]["t"] == "2024-02-29 23:59:59.123456+00")
            #expect(try rows[0].decode("us", as: Int64.self) == micros)

            // A value written with another offset decodes to the same instant.
            let offset = try await connection.query("SELECT '2024-03-01 01:29:59.123456+01:30'::timestamptz AS t")
            #expect(try offset[0].decode("t", as: Date.self) == back)

            // now() with microseconds survives a round trip through a table.
            try await connection.execute("CREATE TABLE ts (t timestamptz)")
            try await connection.execute("INSERT INTO ts VALUES (now())")
            let stored = try await connection.query("SELECT t FROM ts")[0].decode("t", as: Date.self)
            let matched = try await connection.query("SELECT count(*) AS n FROM ts WHERE t = $1", [stored])
            #expect(try matched[0].decode("n", as: Int.self) == 1)

            // Pre-epoch and far-future instants.
            for seconds in [-2_208_988_800.5, 0, 253_402_300_799.999999] {
                let value = Date(timeIntervalSince1970: seconds)
                let back = try await roundTrip(value, as: "timestamptz", on: connection)
                #expect(abs(back.timeIntervalSince1970 - seconds) < 0.000001)
            }
        }
    }

    @Test("bytea with all 256 byte values, and empty bytea")
    func bytea() async throws {
        try await withTestConnection { connection, _ async throws in
            let all = (0...255).map { UInt8($0) }
            #expect(try await roundTrip(all, as: "bytea", on: connection) == all)
            #expect(try await roundTrip([UInt8](), as: "bytea", on: connection) == [])
            let length = try await connection.query("SELECT length($1::bytea) AS n", [all])
            #expect(try length[0].decode("n", as: Int.self) == 256)
        }
    }

    @Test("arrays with tricky elements round-trip")
    func arrays() async throws {
        try await withTestConnection { connection, _ async throws in
            let tricky = ["a,b", "quote\"d", "back\\slash", "{braces}", "NULL", "", " padded ", "emoji 🚀", "new\nline"]
            #expect(try await roundTrip(tricky, as: "text[]", on: connection) == tricky)
            let withNulls: [String?] = ["NULL", nil, "", "x"]
            #expect(try await roundTrip(withNulls, as: "text[]", on: connection) == withNulls)
            let nullCheck = try await connection.query(
                "SELECT ($1::text[])[1] IS NULL AS first, ($1::text[])[2] IS NULL AS second", [withNulls])
            #expect(try nullCheck[0].decode("first", as: Bool.self) == false)
            #expect(try nullCheck[0].decode("second", as: Bool.self) == true)

            #expect(try await roundTrip([String](), as: "text[]", on: connection) == [])
            #expect(try await roundTrip([1, -2, Int.max], as: "int8[]", on: connection) == [1, -2, Int.max])
            #expect(try await roundTrip([Int64.min, 0], as: "int8[]", on: connection) == [Int64.min, 0])
            #expect(try await roundTrip([Int32.min, 9, Int32.max], as: "int4[]", on: connection) == [Int32.min, 9, Int32.max])
            #expect(try await roundTrip([Int16.min, -1, Int16.max], as: "int2[]", on: connection) == [Int16.min, -1, Int16.max])
            #expect(try await roundTrip([Int](), as: "int8[]", on: connection) == [])
            #expect(try await roundTrip([UUID](), as: "uuid[]", on: connection) == [])
            let uuids = [UUID(), UUID()]
            #expect(try await roundTrip(uuids, as: "uuid[]", on: connection) == uuids)
            let known = try #require(UUID(uuidString: "0B7E4F2A-9C1D-4E3F-8A5B-6C7D8E9F0A1B"))
            let spelled = try await connection.query("SELECT ($1::uuid[])::text AS t", [[known, known]])
            #expect(spelled[0]["t"] == "{0b7e4f2a-9c1d-4e3f-8a5b-6c7d8e9f0a1b,0b7e4f2a-9c1d-4e3f-8a5b-6c7d8e9f0a1b}")
            #expect(try await roundTrip([true, false], as: "boolean[]", on: connection) == [true, false])
            #expect(try await roundTrip([Int?.some(1), nil], as: "int4[]", on: connection) == [1, nil])

            // The server's view: element count and exact elements.
            let rows = try await connection.query(
                "SELECT cardinality($1::text[]) AS n, ($1::text[])[3] AS third", [tricky])
            #expect(try rows[0].decode("n", as: Int.self) == tricky.count)
            #expect(rows[0]["third"] == "back\\slash")

            // Binding an array to `= ANY($1)` with uuid columns (type inferred by the server).
            try await connection.execute("CREATE TABLE items (id uuid PRIMARY KEY)")
            for id in uuids { try await connection.execute("INSERT INTO items VALUES ($1)", id) }
            let found = try await connection.query("SELECT id FROM items WHERE id = ANY($1) ORDER BY id", [uuids])
            #expect(Set(try found.decode("id", as: UUID.self)) == Set(uuids))
            // Decoding a server-made array with unquoted elements and a dimension prefix.
            let made = try await connection.query(
                "SELECT ARRAY['x y', NULL, 'NULL']::text[] AS a, '[0:1]={7,8}'::int[] AS b")
            #expect(try made[0].decode("a", as: [String?].self) == ["x y", nil, "NULL"])
            #expect(try made[0].decode("b", as: [Int].self) == [7, 8])
        }
    }

    @Test("json and large jsonb round-trip")
    func json() async throws {
        struct Payload: Codable, Equatable {
            var name: String
            var tags: [String]
            var blob: String
        }
        try await withTestConnection { connection, _ async throws in
            let payload = Payload(name: "Zoë 🚀", tags: ["a\"b", "c\\d"], blob: String(repeating: "x", count: 1_000_000))
            let json = try PostgresJSON(payload)
            try await connection.execute("CREATE TABLE docs (doc jsonb)")
            try await connection.execute("INSERT INTO docs VALUES ($1)", json)
            let back = try await connection.query("SELECT doc FROM docs")[0].decode("doc", as: PostgresJSON.self)
            #expect(try back.decode(Payload.self) == payload)
            let name = try await connection.query("SELECT doc->>'name' AS name FROM docs")
            #expect(rowsName(name) == "Zoë 🚀")
            let raw = try await roundTrip(PostgresJSON(raw: #"{"a": [1, 2]}"#), as: "json", on: connection)
            #expect(raw.raw == #"{"a": [1, 2]}"#)
        }
    }

    private func rowsName(_ rows: PostgresRows) -> String? { rows[0]["name"] }

    @Test("injection attempts stay data")
    func injection() async throws {
        try await withTestConnection { connection, _ async throws in
            try await connection.execute("CREATE TABLE x (v text)")
            let evil = "'); DROP TABLE x; --"
            try await connection.execute("INSERT INTO x (v) VALUES ($1)", evil)
            let rows = try await connection.query("SELECT v FROM x WHERE v = $1", [evil])
            #expect(rows.count == 1)
            #expect(try rows[0].decode("v", as: String.self) == evil)
            let exists = try await connection.query("SELECT to_regclass('x') IS NOT NULL AS present")
            #expect(try exists[0].decode("present", as: Bool.self))
            try await connection.listen("x\"; DROP TABLE x; --")
            #expect(try await connection.query("SELECT count(*) AS n FROM x")[0].decode("n", as: Int.self) == 1)
        }
    }

    @Test("text with a NUL character is refused, not truncated")
    func nulCharacter() async throws {
        try await withTestConnection { connection, _ async throws in
            let error = await #expect(throws: PostgresError.self) {
                try await connection.query("SELECT $1::text", ["a\u{0}b"])
            }
            #expect(error?.code == .invalidParameter)
            // The connection is still usable.
            #expect(try await connection.query("SELECT 1 AS one")[0].decode("one", as: Int.self) == 1)
        }
    }

    @Test("rows: columns, affected counts, index access, decode errors")
    func rows() async throws {
        try await withTestConnection { connection, _ async throws in
            try await connection.execute("CREATE TABLE t (id int8, name text)")
            let inserted = try await connection.execute(
                "INSERT INTO t SELECT g, 'n' || g FROM generate_series(1, 5) g")
            #expect(inserted == 5)
            let rows = try await connection.query("SELECT id, name FROM t ORDER BY id")
            #expect(rows.columns == ["id", "name"])
            #expect(rows.count == 5)
            #expect(rows.affectedRows == 5)
            #expect(try rows[4].decode(0, as: Int.self) == 5)
            #expect(rows[0][1] == "n1")
            #expect(try rows.map { try $0.decode("name", as: String.self) } == ["n1", "n2", "n3", "n4", "n5"])
            let error = #expect(throws: PostgresError.self) { try rows[0].decode("name", as: Int.self) }
            #expect(error?.code == .decoding)
            #expect(try await connection.execute("UPDATE t SET name = $1 WHERE id > $2", "z", 3) == 2)
            #expect(try await connection.execute("DELETE FROM t") == 5)
        }
    }

    @Test("columns are found by name in narrow and wide results; the first of two equal names wins")
    func columnsByName() async throws {
        try await withTestConnection { connection, _ async throws in
            let narrow = try await connection.query("SELECT 1 AS a, 2 AS b, 3 AS a")
            #expect(try narrow[0].decode("a", as: Int.self) == 1)
            #expect(try narrow[0].decode("b", as: Int.self) == 2)
            // Over 16 columns the names are looked up in a dictionary.
            let list = (1...30).map { "\($0) AS c\($0)" }.joined(separator: ", ")
            let wide = try await connection.query("SELECT \(list), 99 AS c7")
            for column in 1...30 {
                #expect(try wide[0].decode("c\(column)", as: Int.self) == column)
            }
            #expect(wide[0]["missing"] == nil)
            #expect(throws: PostgresError.self) { try wide[0].decode("missing", as: Int.self) }
        }
    }
}
