/// Maps a request to the route that answers it.
///
/// The sandbox serves five fixed path shapes, so a `switch` over the path's components is the
/// whole router: no tree to walk and no parameters to box.
struct SandboxRouter: Sendable {
    let services: SandboxServices
    private let control: ControlRoutes
    private let resend: ResendRoutes
    private let whatsApp: WhatsAppRoutes
    private let telegram: TelegramRoutes

    init(services: SandboxServices) {
        self.services = services
        self.control = ControlRoutes(services: services)
        self.resend = ResendRoutes(services: services)
        self.whatsApp = WhatsAppRoutes(services: services)
        self.telegram = TelegramRoutes(services: services)
    }

    /// The answer to `request`: at once, or a provider call to delay and complete.
    func route(_ request: SandboxRequest) -> SandboxReply {
        let components = request.path.split(separator: "/").map(Self.decoded)
        let method = request.method
        switch components.count {
        case 1 where components[0] == "emails":
            guard method == .POST else { return Self.methodNotAllowed }
            return .provider(resend.send(request))
        case 2 where components[0] == "_sandbox":
            switch (components[1], method) {
            case ("messages", .GET): return .respond(control.messages(request))
            case ("messages", .DELETE): return .respond(control.removeMessages())
            case ("stats", .GET): return .respond(control.statistics())
            case ("health", .GET): return .respond(control.health())
            case ("messages", _), ("stats", _), ("health", _): return Self.methodNotAllowed
            default: return Self.notFound
            }
        case 2 where components[0].hasPrefix("bot"):
            guard method == .POST || method == .GET else { return Self.methodNotAllowed }
            return telegram.call(request, token: String(components[0].dropFirst(3)), method: components[1])
        case 3 where components[2] == "messages":
            guard method == .POST else { return Self.methodNotAllowed }
            return .provider(whatsApp.send(request, version: components[0], phoneNumberID: components[1]))
        default:
            return Self.notFound
        }
    }

    private static let notFound = SandboxReply.respond(SandboxResponse.json(.notFound, ["error": "no such endpoint"]))
    private static let methodNotAllowed = SandboxReply.respond(
        SandboxResponse.json(.methodNotAllowed, ["error": "method not allowed on this endpoint"]))

    /// A path component with `%XX` escapes decoded (`+` stays a plus in a path).
    private static func decoded(_ component: Substring) -> String {
        component.utf8.contains(UInt8(ascii: "%")) ? FormDecoding.unescape(Array(component.utf8), plusIsSpace: false) : String(component)
    }
}
