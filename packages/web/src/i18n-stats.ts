// Italian and English of the operator desktop's own statistics of the day
// (spread into i18n.ts's messages; the same test checks both languages).

export const statsIt = {
  'stats.title': 'Le mie statistiche di oggi',
  'stats.handled': 'Contatti gestiti',
  'stats.split': 'in entrata {inbound} · in uscita {outbound}',
  'stats.aht': 'Tempo medio di gestione',
  'stats.talk': 'Conversazione',
  'stats.hold': 'Attesa',
  'stats.wrap': 'Post-chiamata',
  'stats.occupancy': 'Occupazione',
  'stats.outcomes': 'Esiti registrati',
  'stats.noOutcomes': 'Nessun esito registrato oggi.',
  'stats.states': 'Tempo per stato',
  'stats.noStates': 'Nessun tempo registrato oggi.',
  'stats.absent': '—',
  'stats.average': 'media',
  'stats.definitions':
    'Gestiti: contatti risposti (o connessi in uscita) e chiusi. Tempo medio = (conversazione + attesa + post-chiamata) / gestiti. Occupazione = tempo in chiamata e post-chiamata / (lo stesso + tempo disponibile). Giorno di Roma.',
  'stats.failed': 'Statistiche non disponibili ora.',
} as const;

export const statsEn: Record<keyof typeof statsIt, string> = {
  'stats.title': 'My statistics today',
  'stats.handled': 'Contacts handled',
  'stats.split': 'inbound {inbound} · outbound {outbound}',
  'stats.aht': 'Average handle time',
  'stats.talk': 'Talk',
  'stats.hold': 'Hold',
  'stats.wrap': 'Wrap-up',
  'stats.occupancy': 'Occupancy',
  'stats.outcomes': 'Outcomes recorded',
  'stats.noOutcomes': 'No outcome recorded today.',
  'stats.states': 'Time per state',
  'stats.noStates': 'No time logged today.',
  'stats.absent': '—',
  'stats.average': 'average',
  'stats.definitions':
    'Handled: contacts answered (or connected, outbound) and closed. Average handle time = (talk + hold + wrap-up) / handled. Occupancy = time on contacts and wrap-up / (the same + available time). Rome day.',
  'stats.failed': 'Statistics are not available now.',
};
