import Foundation
import Logging
import OutreachCore
import OutreachStore
import Postgres

/// Applies verified webhook events to the database: delivery statuses (forward only), bounces
/// and complaints (suppression and consent revocation), and replies (which stop the contact's
/// sequences).
///
/// Each event runs in its own transaction, which first claims the event's dedupe key in
/// `outreach_webhook_events`: a second delivery of the same event changes nothing, and a
/// failure rolls back the claim with the effect so the provider's retry is processed.
public struct DeliveryTracker: Sendable {
    /// The `source` of timeline rows written here.
    public static let eventSource = "webhook"
    /// How often a lost optimistic-locking race on one enrollment is re-read and retried.
    static let maxEnrollmentAttempts = 5

    let pool: PostgresPool
    let logger: Logger
    let dedupe = WebhookEventStore()
    let executions = ExecutionTrackingStore()
    let contacts = ContactMatchStore()
    let enrollments = EnrollmentLockStore()
    let consent = ConsentRevocationStore()

    public init(pool: PostgresPool, logger: Logger = Logger(label: "outreach.tracking")) {
        self.pool = pool
        self.logger = logger
    }

    /// Processes the events in order, each in its own transaction, and counts each in
    /// `outreach_webhook_events_total`. Throws on a database failure (the caller answers 5xx and
    /// the provider retries; events already committed are then recognised as duplicates).
    public func process(_ events: [TrackingEvent]) async throws -> [WebhookResult] {
        var results: [WebhookResult] = []
        for event in events {
            let result = try await process(event)
            OutreachMetrics.recordWebhookEvent(provider: event.provider.rawValue, result: result)
            results.append(result)
        }
        return results
    }

    /// Processes one event (without counting it in the metrics).
    public func process(_ event: TrackingEvent) async throws -> WebhookResult {
        switch event {
        case .status(let status): try await apply(status)
        case .inbound(let message): try await apply(message)
        }
    }

    // MARK: - Status events

    func apply(_ event: StatusEvent) async throws -> WebhookResult {
        try await pool.transaction { tx in
            guard try await dedupe.claim(provider: event.provider.rawValue, eventID: event.dedupeKey, on: tx) else {
                return .duplicate
            }
            let found = try await executions.lockByProviderMessageID(
                channel: event.channel, providerMessageID: event.providerMessageID, on: tx)
            guard let first = found.first else {
                logger.info("webhook event for an unknown message", metadata: [
                    "provider": "\(event.provider.rawValue)", "event": "\(event.status?.rawValue ?? event.note ?? "")",
                ])
                return .unknown
            }
            try await dedupe.attach(workspace: first.workspaceID, provider: event.provider.rawValue, eventID: event.dedupeKey, on: tx)
            for execution in found {
                try await apply(event, to: execution, on: tx)
            }
            return .applied
        }
    }

    private func apply(_ event: StatusEvent, to execution: TrackedExecution, on tx: PostgresConnection) async throws {
        let eventName = event.status?.rawValue ?? event.note ?? "event"
        let next = event.status.flatMap { execution.status.advanced(by: $0) }
        let isError = event.status == .failed || event.status == .bounced
        try await executions.apply(
            execution: execution.id, newStatus: next, eventStatus: eventName, at: event.occurredAt,
            errorCode: isError && next != nil ? event.errorCode : nil,
            errorMessage: isError && next != nil ? event.errorMessage : nil, on: tx)
        var reason = event.errorCode
        if event.status != nil && next == nil {
            // Late, repeated or out of order: on the timeline, but the status stays.
            reason = [reason, "not_applied:\(execution.status.rawValue)"].compactMap { $0 }.joined(separator: " ")
        }
        try await executions.appendEvent(
            workspace: execution.workspaceID, execution: execution.id, status: eventName, reason: reason,
            source: Self.eventSource, at: event.occurredAt, on: tx)
        logger.debug("execution event", metadata: [
            "workspace": "\(execution.workspaceID.uuidString.lowercased())", "execution": "\(execution.id)",
            "status": "\(eventName)", "applied": "\(next != nil)",
        ])

        guard let suppression = event.suppression, execution.channel == .email else { return }
        let reasonCode: ConsentRevocationStore.SuppressionReason = suppression == .complaint ? .complaint : .hardBounce
        let source = "\(event.provider.rawValue):\(suppression.rawValue)"
        if let address = event.recipient ?? execution.contactEmail.flatMap(WebhookAddress.email) {
            try await consent.suppress(
                workspace: execution.workspaceID, channel: .email, address: address, reason: reasonCode, source: source, on: tx)
        }
        try await consent.revoke(
            workspace: execution.workspaceID, entityType: execution.entityType, entityID: execution.entityID,
            channel: .email, actor: "webhook:\(event.provider.rawValue)", source: source, on: tx)
        logger.info("address suppressed and email consent revoked", metadata: [
            "workspace": "\(execution.workspaceID.uuidString.lowercased())", "execution": "\(execution.id)",
            "reason": "\(reasonCode.rawValue)",
        ])
    }

    // MARK: - Replies

    func apply(_ message: InboundMessage) async throws -> WebhookResult {
        try await pool.transaction { tx in
            guard try await dedupe.claim(provider: message.provider.rawValue, eventID: message.dedupeKey, on: tx) else {
                return .duplicate
            }
            let matched: [MatchedContact]
            switch message.channel {
            case .whatsapp:
                matched = try await contacts.byPhone(digits: message.sender, phoneNumberID: message.receivingAccount, on: tx)
            case .telegram:
                matched = try await contacts.byTelegramChat(message.sender, on: tx)
            case .email:
                matched = try await contacts.byEmail(message.sender, recipient: message.receivingAccount, on: tx)
            }
            guard let first = matched.first else {
                logger.info("inbound message from an unknown contact", metadata: ["provider": "\(message.provider.rawValue)"])
                return .unknown
            }
            try await dedupe.attach(workspace: first.workspaceID, provider: message.provider.rawValue, eventID: message.dedupeKey, on: tx)
            for contact in matched {
                try await recordReply(from: contact, message: message, on: tx)
            }
            return .applied
        }
    }

    private func recordReply(from contact: MatchedContact, message: InboundMessage, on tx: PostgresConnection) async throws {
        if message.channel == .whatsapp {
            try await contacts.touchWhatsAppInbound(contact: contact.id, at: message.occurredAt, on: tx)
        }
        let sent = try await executions.lockLatestSent(
            workspace: contact.workspaceID, entityType: contact.entityType, entityID: contact.entityID,
            channel: message.channel, on: tx)
        for execution in sent {
            guard let next = execution.status.advanced(by: .replied) else { continue }
            try await executions.apply(execution: execution.id, newStatus: next, eventStatus: "replied", at: message.occurredAt, on: tx)
            try await executions.appendEvent(
                workspace: execution.workspaceID, execution: execution.id, status: "replied",
                reason: "inbound:\(message.provider.rawValue)", source: Self.eventSource, at: message.occurredAt, on: tx)
        }
        var stopped = 0
        for snapshot in try await enrollments.openEnrollments(contact: contact.id, workspace: contact.workspaceID, on: tx) {
            if try await stop(snapshot, on: tx) { stopped += 1 }
        }
        logger.info("reply recorded", metadata: [
            "workspace": "\(contact.workspaceID.uuidString.lowercased())", "contact": "\(contact.id)",
            "channel": "\(message.channel.rawValue)", "executions": "\(sent.count)", "enrollments_stopped": "\(stopped)",
        ])
    }

    /// Moves an enrollment to `replied` under optimistic locking: on a lost race it re-reads the
    /// row and decides again (a concurrent cancel wins; a concurrent pause or step advance is
    /// still stopped).
    private func stop(_ snapshot: EnrollmentLockStore.Snapshot, on tx: PostgresConnection) async throws -> Bool {
        var current = snapshot
        for _ in 0..<Self.maxEnrollmentAttempts {
            guard current.status.canTransition(to: .replied) else { return false }
            if try await enrollments.update(current, to: .replied, on: tx) { return true }
            logger.debug("enrollment changed concurrently; re-reading", metadata: ["enrollment": "\(current.id)"])
            guard let fresh = try await enrollments.read(current.id, on: tx) else { return false }
            current = fresh
        }
        throw OutreachError(.conflict, "enrollment \(snapshot.id) kept changing while recording a reply")
    }
}
