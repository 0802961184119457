import Channels
import Foundation
import OutreachCore
import OutreachStore
import Postgres
import Synchronization

/// Turns a send context into the provider message: the template rendered with the channel's
/// escaping, the sender, the unsubscribe link, and WhatsApp's 24 h window rule.
final class MessageRenderer: Sendable {
    /// Parsed templates by source text: the same few templates serve thousands of sends.
    private let cache = Mutex<[String: ParsedTemplate]>([:])
    let providers: ProviderConfiguration
    let publicURL: String

    init(providers: ProviderConfiguration, publicURL: String) {
        self.providers = providers
        self.publicURL = publicURL
    }

    enum Rendered {
        case message(OutboundMessage, phoneNumberID: String?)
        case blocked(SafetyReason)
        case notConfigured
    }

    func render(_ ctx: SendContext, now: Date) -> Rendered {
        guard let channel = ctx.channel, let body = ctx.templateBody else { return .blocked(.templateMissing) }
        let unsubscribe = unsubscribeURL(ctx)
        let values = variables(ctx, unsubscribeURL: unsubscribe)
        switch channel {
        case .email:
            guard let from = sender(ctx, key: "from") ?? providers.resend.defaultFrom, let to = ctx.email else {
                return ctx.email == nil ? .blocked(.noAddress) : .notConfigured
            }
            let subject = EmailTemplate.headerSafe(parsed(ctx.templateSubject ?? "").render(values, escaping: .none))
            let html = parsed(body).render(values, escaping: .html)
            let text = ctx.templateText.map { parsed($0).render(values, escaping: .none) } ?? EmailTemplate.plainText(fromHTML: html)
            var tags = ["execution_key": ctx.idempotencyKey, "workspace": ctx.job.workspaceID.uuidString.lowercased()]
            if let step = ctx.stepPosition { tags["step"] = String(step) }
            return .message(.email(EmailMessage(from: from, to: to, subject: subject, html: html, text: text,
                                                unsubscribeURL: unsubscribe, tags: tags)), phoneNumberID: nil)
        case .whatsapp:
            guard let number = sender(ctx, key: "phone_number_id") ?? providers.whatsapp.phoneNumberID else { return .notConfigured }
            guard let phone = ctx.phone else { return .blocked(.noAddress) }
            let inWindow = ctx.whatsappLastInboundAt.map { now.timeIntervalSince($0) < 24 * 3600 } ?? false
            if inWindow {
                return .message(.whatsapp(WhatsAppMessage(phoneNumberID: number, to: phone,
                                                          content: .text(parsed(body).render(values, escaping: .none)))),
                                phoneNumberID: number)
            }
            guard let template = ctx.whatsappTemplate else { return .blocked(.outsideWhatsAppWindow) }
            let parameters = (template.parameters ?? []).map { values[$0]?.plainText ?? "" }
            return .message(.whatsapp(WhatsAppMessage(phoneNumberID: number, to: phone,
                                                      content: .template(name: template.name, language: template.language,
                                                                         parameters: parameters))),
                            phoneNumberID: number)
        case .telegram:
            guard let chat = ctx.telegramChatID else { return .blocked(.noAddress) }
            return .message(.telegram(TelegramMessage(chatID: chat, text: parsed(body).render(values, escaping: .telegramHTML))),
                            phoneNumberID: nil)
        }
    }

    /// Whether the channel has what it needs to send (safety check 6), before reserving anything.
    func isConfigured(_ ctx: SendContext) -> Bool {
        guard let channel = ctx.channel, providers.isConfigured(channel) else { return false }
        switch channel {
        case .email: return sender(ctx, key: "from") ?? providers.resend.defaultFrom != nil
        case .whatsapp: return sender(ctx, key: "phone_number_id") ?? providers.whatsapp.phoneNumberID != nil
        case .telegram: return true
        }
    }

    func unsubscribeURL(_ ctx: SendContext) -> String? {
        ctx.unsubscribeToken.map { UnsubscribeLink.url(base: publicURL, token: $0) }
    }

    func sender(_ ctx: SendContext, key: String) -> String? {
        ctx.sender[key]
    }

    func parsed(_ source: String) -> ParsedTemplate {
        if let hit = cache.withLock({ $0[source] }) { return hit }
        // Templates were validated when saved; one that no longer parses renders as its source.
        let template = (try? Template.parse(source)) ?? (try! Template.parse("{{! unparseable }}"))
        cache.withLock { cache in
            if cache.count > 1000 { cache.removeAll() }
            cache[source] = template
        }
        return template
    }

    /// The contact fields and attributes a template may use (`ContactFields.known`).
    func variables(_ ctx: SendContext, unsubscribeURL: String?) -> [String: TemplateValue] {
        // Sized for the 14 fields below: grown from empty, the table was reallocated and
        // rehashed several times for every message.
        var values = [String: TemplateValue](minimumCapacity: 16)
        // Most contacts have no attributes: skip the decoder for an empty object.
        if let attributes = ctx.attributes, attributes.raw != "{}",
           let object = try? attributes.decode([String: TemplateValue].self) {
            values = object
            values.reserveCapacity(object.count + 16)
        }
        let name = ctx.contactName ?? ""
        let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
        values["name"] = .string(name)
        values["first_name"] = .string(parts.first ?? "")
        values["last_name"] = .string(parts.count > 1 ? parts[1] : "")
        values["company"] = ctx.company.map(TemplateValue.string) ?? .null
        values["email"] = ctx.email.map(TemplateValue.string) ?? .null
        values["phone"] = ctx.phone.map(TemplateValue.string) ?? .null
        values["entity_type"] = .string(ctx.entity?.type.rawValue ?? "")
        values["entity_id"] = .string(ctx.entity?.id ?? "")
        values["status"] = ctx.contactStatus.map(TemplateValue.string) ?? .null
        values["timezone"] = .string(ctx.effectiveTimeZone.identifier)
        values["unsubscribe_url"] = unsubscribeURL.map(TemplateValue.string) ?? .null
        values["workspace_name"] = .string(ctx.workspaceName)
        let from = sender(ctx, key: "from") ?? providers.resend.defaultFrom ?? ""
        values["sender_name"] = .string(from.split(separator: "<").first.map { $0.trimmingSpaces() } ?? from)
        return values
    }
}
