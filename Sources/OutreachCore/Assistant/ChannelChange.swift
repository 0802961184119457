/// Turning a channel on or off for a workspace (the `manage_channels` intent).
public struct ChannelChange: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable { case enable, disable }

    public var channel: Channel
    public var action: Action

    public init(_ channel: Channel, _ action: Action) {
        self.channel = channel
        self.action = action
    }
}
