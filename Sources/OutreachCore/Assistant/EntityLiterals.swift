import Foundation

/// Entity references written out in a message (`lead:42`, `prospect:acme-7`), internal to the parser.
enum EntityLiterals {
    /// The message without the references, and the references in order.
    static func extract(from message: String) -> (text: String, references: [EntityRef]) {
        guard message.contains(":") else { return (message, []) }
        var references: [EntityRef] = []
        var kept: [Substring] = []
        for piece in message.split(separator: " ", omittingEmptySubsequences: false) {
            let trimmed = piece.trimmingCharacters(in: .init(charactersIn: "?!.,;\"'()"))
            let lower = trimmed.lowercased()
            if lower.hasPrefix("lead:") || lower.hasPrefix("prospect:"), let ref = try? EntityRef(parsing: trimmed) {
                if !references.contains(ref) { references.append(ref) }
                kept.append(" ")
            } else {
                kept.append(piece)
            }
        }
        return (kept.joined(separator: " "), references)
    }
}
