// Placeholder until the OutreachCore layer lands.
