// Placeholder until the OutreachServer layer lands.
