// Placeholder until the Sandbox layer lands.
