import Foundation
import OutreachCore

/// Provider credentials and endpoints, read from the environment names of SPEC §11.
public struct ProviderConfiguration: Sendable, Equatable {
    public struct Resend: Sendable, Equatable {
        public var apiKey: String?
        public var baseURL: String
        public var defaultFrom: String?
        /// Requests per second for the fleet-wide bucket (Resend's documented default is 2).
        public var ratePerSecond: Double
    }

    public struct WhatsApp: Sendable, Equatable {
        public var accessToken: String?
        public var phoneNumberID: String?
        public var apiVersion: String
        public var baseURL: String
        /// Messages per second per phone number (Meta's default throughput is 80).
        public var ratePerSecond: Double
    }

    public struct Telegram: Sendable, Equatable {
        public var botToken: String?
        public var baseURL: String
        /// Messages per second per bot (Telegram's bulk limit is about 30).
        public var ratePerSecond: Double
    }

    public var resend: Resend
    public var whatsapp: WhatsApp
    public var telegram: Telegram

    /// Reads `RESEND_*`, `WHATSAPP_*`, `TELEGRAM_*` and `OUTREACH_RATE_{RESEND,WHATSAPP,TELEGRAM}`.
    public init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            guard let v = environment[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        func rate(_ name: String, _ fallback: Double) -> Double {
            guard let v = value(name).flatMap(Double.init), v > 0 else { return fallback }
            return v
        }
        func base(_ name: String, _ fallback: String) -> String {
            var url = value(name) ?? fallback
            while url.hasSuffix("/") { url.removeLast() }
            return url
        }
        resend = Resend(apiKey: value("RESEND_API_KEY"), baseURL: base("RESEND_BASE_URL", "https://api.resend.com"),
                        defaultFrom: value("RESEND_FROM"), ratePerSecond: rate("OUTREACH_RATE_RESEND", 2))
        whatsapp = WhatsApp(accessToken: value("WHATSAPP_ACCESS_TOKEN"), phoneNumberID: value("WHATSAPP_PHONE_NUMBER_ID"),
                            apiVersion: value("WHATSAPP_API_VERSION") ?? "v21.0",
                            baseURL: base("WHATSAPP_BASE_URL", "https://graph.facebook.com"),
                            ratePerSecond: rate("OUTREACH_RATE_WHATSAPP", 80))
        telegram = Telegram(botToken: value("TELEGRAM_BOT_TOKEN"), baseURL: base("TELEGRAM_BASE_URL", "https://api.telegram.org"),
                            ratePerSecond: rate("OUTREACH_RATE_TELEGRAM", 30))
    }

    /// Whether the credentials a channel needs are present (safety check 6).
    public func isConfigured(_ channel: Channel) -> Bool {
        switch channel {
        case .email: resend.apiKey != nil
        case .whatsapp: whatsapp.accessToken != nil
        case .telegram: telegram.botToken != nil
        }
    }
}
