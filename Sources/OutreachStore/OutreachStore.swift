// Placeholder until the OutreachStore layer lands.
