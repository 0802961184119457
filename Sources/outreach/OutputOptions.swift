import ArgumentParser
import Foundation

/// `--json`: machine-readable output for scripts instead of the human summary.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a human summary.")
    var json = false

    func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        print(String(decoding: data, as: UTF8.self))
    }
}
