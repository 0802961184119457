/// The variables a template may reference.
///
/// Templates are validated when saved: every variable must be one of these fixed contact fields
/// or an attribute key of the workspace's contacts, so a typo fails at save time rather than
/// silently rendering an empty string in thousands of messages.
public enum ContactFields {
    /// The fixed fields every contact (and every send) provides.
    public static let known: Set<String> = [
        "name", "first_name", "last_name", "company", "email", "phone",
        "entity_type", "entity_id", "status", "timezone",
        "unsubscribe_url", "sender_name", "workspace_name",
    ]

    /// The fixed fields plus the given attribute keys (from contacts' `attributes` JSON).
    public static func known(withAttributes attributes: some Sequence<String>) -> Set<String> {
        known.union(attributes)
    }
}
