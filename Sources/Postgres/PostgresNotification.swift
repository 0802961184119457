/// A `NOTIFY` received on a channel this connection `LISTEN`s to.
public struct PostgresNotification: Sendable, Hashable {
    /// The channel name as sent by the notifier.
    public var channel: String
    /// The payload (empty when none was given).
    public var payload: String
    /// The process id of the notifying backend.
    public var pid: Int32

    public init(channel: String, payload: String, pid: Int32) {
        self.channel = channel
        self.payload = payload
        self.pid = pid
    }
}
