import Foundation
import Testing

@testable import Postgres

@Suite("Connection strings")
struct ConnectionStringTests {
    @Test("nil conninfo uses DATABASE_URL, else the PG* environment")
    func resolution() {
        #expect(ConnectionInfo.resolve("host=a").conninfo == "host=a")
        let fromURL = ConnectionInfo.resolve(nil, environment: ["DATABASE_URL": "postgresql://h/db"])
        #expect(fromURL.conninfo == "postgresql://h/db")
        #expect(fromURL.source == "DATABASE_URL")
        #expect(ConnectionInfo.resolve(nil, environment: ["DATABASE_URL": ""]).conninfo == "")
        #expect(ConnectionInfo.resolve(nil, environment: [:]).conninfo == "")
    }

    @Test("a malformed DATABASE_URL is named in the error")
    func malformedDatabaseURL() {
        let resolved = ConnectionInfo.resolve(nil, environment: ["DATABASE_URL": "postgresql://h/db?nonsense=1"])
        let error = #expect(throws: PostgresError.self) {
            try ConnectionInfo.validate(resolved.conninfo, source: resolved.source)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("DATABASE_URL") == true)
        #expect(error?.message.contains("\n") == false)
    }

    @Test("uri(_:database:) rewrites URI and key=value forms, keeping other options")
    func rewrite() throws {
        #expect(try PostgresConnectionString.uri("postgresql://postgres@127.0.0.1:54391/postgres", database: "t1")
            == "postgresql://postgres@127.0.0.1:54391/t1")
        #expect(try PostgresConnectionString.uri(
            "host=db.internal port=6432 user=app password='p@ss word' dbname=main sslmode=require", database: "t2")
            == "postgresql://app:p%40ss%20word@db.internal:6432/t2?sslmode=require")
        #expect(try PostgresConnectionString.uri("host=/var/run/postgresql user=me", database: "t3")
            == "postgresql://me@/t3?host=%2Fvar%2Frun%2Fpostgresql")
        #expect(try PostgresConnectionString.uri("", database: "t4") == "postgresql:///t4")
        // Round trip through libpq's own parser.
        let options = try PostgresConnectionString.options(
            try PostgresConnectionString.uri("host=h1,h2 port=1,2 user=u dbname=d", database: "t5"))
        #expect(options["host"] == "h1,h2")
        #expect(options["port"] == "1,2")
        #expect(options["dbname"] == "t5")
        #expect(options["user"] == "u")
    }
}
