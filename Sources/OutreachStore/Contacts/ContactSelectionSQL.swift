import Foundation
import OutreachCore
import Postgres

/// The contacts a ``ContactSelector`` names, as one SQL fragment shared by every statement that
/// acts on "these entities or this filter" (consent, enroll). It is a constant: the selector's
/// values are bound as `$1…$6`, never spliced in, and statements using it number their own
/// parameters from `$7`.
///
/// Statements are sent unnamed (`PQexecParams`), so the server plans them with the actual
/// values: the unused branch of the `CASE` folds away and the indexes on
/// `(workspace_id, entity_type, entity_id)` / `(workspace_id, status)` apply.
enum ContactSelectionSQL {
    static let targets = """
        SELECT c.id, c.entity_type, c.entity_id FROM outreach_contacts c
        WHERE c.workspace_id = $1
          AND CASE WHEN $2::text[] IS NOT NULL
                   THEN (c.entity_type, c.entity_id) IN (SELECT e.t, e.i FROM unnest($2::text[], $3::text[]) AS e(t, i))
                   ELSE ($4::text IS NULL OR c.status = $4::text)
                    AND ($5::text IS NULL OR c.company = $5::text)
                    AND ($6::text IS NULL OR c.entity_type = $6::text)
              END
        """

    /// `$1…$6` for ``targets``.
    static func binds(workspace: UUID, _ selector: ContactSelector) -> [any PostgresEncodable] {
        switch selector {
        case .entities(let refs):
            return [workspace, refs.map(\.type.rawValue), refs.map(\.id), String?.none, String?.none, String?.none]
        case .filter(let filter):
            return [workspace, [String]?.none, [String]?.none, filter.status, filter.company, filter.entityType?.rawValue]
        }
    }
}
