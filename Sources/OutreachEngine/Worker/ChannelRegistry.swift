import Channels
import Foundation
import HTTPClient
import OutreachCore
import Postgres
import Synchronization

/// The provider clients and their fleet-wide rate limiters, built once per process.
final class ChannelRegistry: Sendable {
    let http: HTTPClient
    let providers: ProviderConfiguration
    let timeout: Duration
    private let whatsappClients = Mutex<[String: WhatsAppClient]>([:])
    private let registered = Mutex<Set<String>>([])
    let resend: ResendClient?
    let telegram: TelegramClient?

    init(providers: ProviderConfiguration, concurrency: Int, timeout: Duration) {
        self.providers = providers
        self.timeout = timeout
        let http = HTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(5), timeout: timeout, maxResponseBytes: 1 << 20, maxConnections: max(16, concurrency)))
        self.http = http
        resend = providers.resend.apiKey.map {
            ResendClient(apiKey: $0, baseURL: providers.resend.baseURL, http: http, timeout: timeout)
        }
        telegram = providers.telegram.botToken.map {
            TelegramClient(botToken: $0, baseURL: providers.telegram.baseURL, http: http, timeout: timeout)
        }
    }

    /// The client for a channel and sender, or nil when the provider is not configured.
    func client(for channel: Channel, phoneNumberID: String?) -> (any ChannelClient)? {
        switch channel {
        case .email: return resend
        case .telegram: return telegram
        case .whatsapp:
            guard let token = providers.whatsapp.accessToken, let number = phoneNumberID else { return nil }
            return whatsappClients.withLock { clients in
                if let client = clients[number] { return client }
                let client = WhatsAppClient(accessToken: token, phoneNumberID: number, apiVersion: providers.whatsapp.apiVersion,
                                            baseURL: providers.whatsapp.baseURL, http: http, timeout: timeout)
                clients[number] = client
                return client
            }
        }
    }

    /// The rate limiter of a client's account, registered in the database on first use.
    func limiter(for client: any ChannelClient, on db: PostgresConnection) async throws -> ProviderRateLimiter {
        let rate: Double
        switch client.channel {
        case .email: rate = providers.resend.ratePerSecond
        case .whatsapp: rate = providers.whatsapp.ratePerSecond
        case .telegram: rate = providers.telegram.ratePerSecond
        }
        let limiter = ProviderRateLimiter(account: client.rateLimitAccount, ratePerSecond: rate)
        let isNew = registered.withLock { $0.insert(client.rateLimitAccount).inserted }
        if isNew { try await limiter.register(on: db) }
        return limiter
    }

    func shutdown() { http.shutdown() }
}
