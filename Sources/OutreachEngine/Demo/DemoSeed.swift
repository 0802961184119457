import Foundation
import OutreachCore
import OutreachStore
import Postgres

/// The demo's data: a workspace with generated Italian and English contacts (mixed consent),
/// templates on all three channels and three sequences over them. Set-based SQL: a few
/// thousand contacts take a few statements.
public struct DemoSeed: Sendable {
    public var workspaceName = "demo"
    public var contacts = 3000

    public init(contacts: Int = 3000) {
        self.contacts = contacts
    }

    static let deleteWorkspace = "DELETE FROM outreach_workspaces WHERE name = $1"
    static let insertWorkspace = """
        INSERT INTO outreach_workspaces (name, timezone) VALUES ($1, 'Europe/Rome') RETURNING id
        """
    static let insertContacts = """
        WITH names AS (
            SELECT ARRAY['Giulia','Marco','Sofia','Luca','Chiara','Matteo','Francesca','Alessandro','Elena','Davide',
                         'Olivia','James','Emma','William','Ava','Henry','Mia','Jack','Grace','Thomas'] AS first,
                   ARRAY['Rossi','Russo','Ferrari','Esposito','Bianchi','Romano','Colombo','Ricci','Marino','Greco',
                         'Smith','Jones','Taylor','Brown','Williams','Wilson','Evans','Davies','Walker','Wright'] AS last,
                   ARRAY['Farmacia','TechShop','Studio','Bottega','Ristorante','Consulting','Digital','Trading'] AS kind
        )
        INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id, name, company, email, phone, telegram_chat_id,
                                       status, timezone, whatsapp_last_inbound_at, attributes)
        SELECT $1, CASE WHEN g % 4 = 0 THEN 'prospect' ELSE 'lead' END, g::text,
               first[1 + (g * 7) % 20] || ' ' || last[1 + (g * 13) % 20],
               kind[1 + g % 8] || ' ' || last[1 + (g * 13) % 20],
               lower(first[1 + (g * 7) % 20] || '.' || last[1 + (g * 13) % 20] || g || '@example.com'),
               CASE WHEN (g * 7) % 20 < 10 THEN '+39333' ELSE '+44770' END || lpad(g::text, 7, '0'),
               (500000 + g)::text,
               CASE WHEN g % 3 = 0 THEN 'new' ELSE 'contacted' END,
               CASE WHEN (g * 7) % 20 < 10 THEN 'Europe/Rome' ELSE 'Europe/London' END,
               CASE WHEN g % 2 = 0 THEN now() - interval '2 hours' END,
               jsonb_build_object('city', CASE WHEN (g * 7) % 20 < 10 THEN 'Milano' ELSE 'London' END)
        FROM names, generate_series(1, $2::int) g
        """
    /// Mixed consent: most have email, fewer WhatsApp and Telegram, a few revoked.
    static let insertConsent = """
        INSERT INTO outreach_consent (workspace_id, entity_type, entity_id, channel, status, source, lawful_basis, granted_at, revoked_at)
        SELECT c.workspace_id, c.entity_type, c.entity_id, ch,
               CASE WHEN c.id % 29 = 0 THEN 'revoked' ELSE 'granted' END, 'demo', 'consent', now(),
               CASE WHEN c.id % 29 = 0 THEN now() END
        FROM outreach_contacts c, unnest(ARRAY['email', 'whatsapp', 'telegram']) ch
        WHERE c.workspace_id = $1
          AND ((ch = 'email' AND c.id % 10 <> 0) OR (ch = 'whatsapp' AND c.id % 5 < 3) OR (ch = 'telegram' AND c.id % 2 = 0))
        """
    static let insertChannels = """
        INSERT INTO outreach_channel_config (workspace_id, channel, enabled, daily_limit, sender) VALUES
            ($1, 'email', true, $2, '{"from": "Demo Outreach <hello@demo.test>"}'),
            ($1, 'whatsapp', true, NULL, '{"phone_number_id": "1234567890"}'),
            ($1, 'telegram', true, NULL, '{}')
        """
    static let insertSequence = "INSERT INTO outreach_sequences (workspace_id, name) VALUES ($1, $2) RETURNING id"
    static let insertStep = """
        INSERT INTO outreach_sequence_steps (workspace_id, sequence_id, position, channel, template_name, delay, condition, whatsapp_template)
        VALUES ($1, $2, $3, $4, $5, make_interval(secs => $6), $7, $8)
        """
    static let enroll = """
        INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
        SELECT workspace_id, $2, id, entity_type, entity_id, now() FROM outreach_contacts
        WHERE workspace_id = $1 AND id % $3 = $4
        """

    /// (name, channel, subject, body)
    static let templates: [(String, Channel, String?, String)] = [
        ("intro-email", .email, "{{first_name}}, una proposta per {{company}}",
         "<p>Ciao {{first_name}},</p><p>abbiamo pensato a {{company}}{{#if city}} a {{city}}{{/if}}.</p>"
            + "<p><a href=\"{{unsubscribe_url}}\">Disiscriviti</a></p>"),
        ("followup-email", .email, "Following up, {{first_name}}",
         "<p>Hi {{first_name}}, just following up about {{company}}.</p><p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a></p>"),
        ("followup-wa", .whatsapp, nil, "Ciao {{first_name}}! Hai visto la nostra email per {{company}}?"),
        ("intro-wa", .whatsapp, nil, "Hi {{first_name}}, a quick hello from the demo team."),
        ("nudge-tg", .telegram, nil, "Ciao <b>{{first_name}}</b>, novità per {{company}} 👋"),
    ]

    /// Drops any previous demo workspace and writes a new one; returns its id.
    public func seed(on db: PostgresConnection) async throws -> UUID {
        try await db.transaction { tx in
            try await tx.query(Self.deleteWorkspace, [workspaceName])
            let ws: UUID = try await tx.query(Self.insertWorkspace, [workspaceName])[0].decode("id")
            try await tx.query(Self.insertContacts, [ws, contacts])
            try await tx.query(Self.insertConsent, [ws])
            try await tx.query(Self.insertChannels, [ws, contacts * 2 / 3])
            let workspace = Workspace(id: ws, name: workspaceName, timezone: "Europe/Rome")
            for (name, channel, subject, body) in Self.templates {
                _ = try await TemplateService().add(TemplateDraft(name: name, channel: channel, subject: subject, body: body, textBody: nil),
                                                    workspace: workspace, on: tx)
            }
            let waTemplate = PostgresJSON(raw: #"{"name": "followup_v1", "language": "it", "parameters": ["first_name"]}"#)
            let sequences: [(String, [(Channel, String, Int, StepCondition, PostgresJSON?)])] = [
                ("intro", [(.email, "intro-email", 0, .always, nil), (.whatsapp, "followup-wa", 3, .noReply, waTemplate),
                           (.telegram, "nudge-tg", 6, .noOpen, nil)]),
                ("followup", [(.whatsapp, "intro-wa", 0, .always, nil), (.email, "followup-email", 3, .noReply, nil)]),
                ("nudge", [(.telegram, "nudge-tg", 0, .always, nil), (.email, "followup-email", 3, .noClick, nil)]),
            ]
            var ids: [Int64] = []
            for (i, (name, steps)) in sequences.enumerated() {
                let seq: Int64 = try await tx.query(Self.insertSequence, [ws, name])[0].decode("id")
                for (p, step) in steps.enumerated() {
                    try await tx.query(Self.insertStep, [ws, seq, p + 1, step.0.rawValue, step.1, step.2, step.3.rawValue, step.4])
                }
                try await tx.query(Self.enroll, [ws, seq, 3, i])
                ids.append(seq)
            }
            // Some intro contacts are also in followup: its email step meets the 24 h cool-down.
            try await tx.query(Self.enroll, [ws, ids[1], 15, 0])
            return ws
        }
    }
}
