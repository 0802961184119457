// Placeholder until the OutreachEngine layer lands.
