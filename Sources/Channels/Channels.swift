// Placeholder until the Channels layer lands.
