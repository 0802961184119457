import Foundation
import OutreachCore
import Yams

/// Reads a sequence file (SPEC §11) in JSON or YAML into a ``SequenceDefinition``.
///
/// Unknown keys are rejected, not ignored: a misspelt `conditon:` would otherwise silently turn
/// a `no_reply` step into an `always` step and message people who already answered.
public enum SequenceFile {
    public enum Format: String, Sendable { case json, yaml }

    static let topKeys: Set<String> = ["name", "send_window", "steps"]
    static let windowKeys: Set<String> = ["days", "hours"]
    static let stepKeys: Set<String> = ["channel", "template", "delay", "condition", "whatsapp_template"]
    static let whatsappKeys: Set<String> = ["name", "language", "parameters"]

    /// The format from the file's extension (`.json`, `.yaml`, `.yml`), else from its first character.
    public static func format(path: String, contents: String) -> Format {
        switch (path as NSString).pathExtension.lowercased() {
        case "json": return .json
        case "yaml", "yml": return .yaml
        default: return contents.first(where: { !$0.isWhitespace }) == "{" ? .json : .yaml
        }
    }

    /// Decodes and checks the shape; `.badInput` names the offending key path.
    public static func decode(_ contents: String, format: Format) throws -> SequenceDefinition {
        let tree: Any?
        do {
            switch format {
            case .json: tree = try JSONSerialization.jsonObject(with: Data(contents.utf8), options: [.fragmentsAllowed])
            case .yaml: tree = try Yams.load(yaml: contents)
            }
        } catch {
            throw OutreachError.badInput("the sequence file is not valid \(format.rawValue.uppercased()): \(Self.oneLine(error))")
        }
        try checkKeys(tree)
        do {
            switch format {
            case .json: return try JSONDecoder().decode(SequenceDefinition.self, from: Data(contents.utf8))
            case .yaml: return try YAMLDecoder().decode(SequenceDefinition.self, from: contents)
            }
        } catch let error as DecodingError {
            throw OutreachError.badInput("sequence file: \(describe(error))")
        } catch {
            throw OutreachError.badInput("sequence file: \(Self.oneLine(error))")
        }
    }

    static func checkKeys(_ tree: Any?) throws {
        guard let top = tree as? [String: Any] else {
            throw OutreachError.badInput("sequence file must be an object with name and steps")
        }
        try unknown(top, allowed: topKeys, at: "")
        if let window = top["send_window"] as? [String: Any] { try unknown(window, allowed: windowKeys, at: "send_window.") }
        for (i, step) in ((top["steps"] as? [Any]) ?? []).enumerated() {
            guard let step = step as? [String: Any] else { throw OutreachError.badInput("steps[\(i + 1)] must be an object") }
            try unknown(step, allowed: stepKeys, at: "steps[\(i + 1)].")
            if let wa = step["whatsapp_template"] as? [String: Any] {
                try unknown(wa, allowed: whatsappKeys, at: "steps[\(i + 1)].whatsapp_template.")
            }
        }
    }

    static func unknown(_ object: [String: Any], allowed: Set<String>, at path: String) throws {
        let extra = object.keys.filter { !allowed.contains($0) }.sorted()
        guard extra.isEmpty else {
            throw OutreachError.badInput("sequence file: unknown key\(extra.count == 1 ? "" : "s") \(extra.map { "'\(path)\($0)'" }.joined(separator: ", ")) (allowed: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    /// `steps[2].channel: 'sms' is not one of email, whatsapp, telegram`-style messages.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index + 1)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "(top level)" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            let last = context.codingPath.last?.stringValue
            if last == "channel" { return "\(path(context.codingPath)) is not one of \(Channel.allCases.map(\.rawValue).joined(separator: ", "))" }
            if last == "condition" {
                return "\(path(context.codingPath)) is not one of \(StepCondition.allCases.map(\.rawValue).joined(separator: ", "))"
            }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return oneLine(error)
        }
    }

    static func oneLine(_ error: any Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
