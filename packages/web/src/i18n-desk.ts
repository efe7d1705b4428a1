// Italian and English of the operator desktop's transfer and the reports'
// XLSX export (spread into i18n.ts's messages; the same test checks both languages).

export const deskIt = {
  'desk.transfer': 'Trasferisci',
  'desk.transfer.title': 'Trasferisci la chiamata',
  'desk.transfer.hint':
    'Trasferimento cieco: il chiamante attende in musica finché un altro operatore prende la chiamata, che registrerà l’esito. Il tuo post-chiamata inizia subito.',
  'desk.transfer.target': 'Destinazione',
  'desk.transfer.queues': 'Code',
  'desk.transfer.colleagues': 'Colleghi disponibili',
  'desk.transfer.queueOnly': 'Il tuo ruolo non vede lo stato dei colleghi: puoi trasferire a una coda.',
  'desk.transfer.noColleagues': 'Nessun collega disponibile ora.',
  'desk.transfer.confirm': 'Trasferisci',
  'desk.transfer.error.unavailable': 'Il collega non è più disponibile: scegli un altro collega o una coda.',
  'desk.transfer.error.unknown': 'Destinazione sconosciuta per l’organizzazione di questa chiamata.',
  'desk.transfer.error.state': 'Si può trasferire solo una chiamata in corso.',
  'desk.transfer.error.gone': 'La chiamata non c’è più.',
  'desk.xlsx': 'Esporta XLSX',
  'desk.endWrapUp': 'Termina post-chiamata',
  'desk.callbacks.title': 'Le mie richiamate',
  'desk.callbacks.none': 'Nessuna richiamata in attesa a tuo nome.',
  'desk.callbacks.failed': 'Richiamate non disponibili ora.',
  'desk.callbacks.unknownCaller': 'Chiamante non identificato',
  'desk.callbacks.hint':
    'Le richiamate promesse “a me”: ti vengono proposte all’ora fissata; se non le prendi entro 30 minuti passano a tutti.',
  'desk.queues.title': 'Le mie code',
  'desk.queues.failed': 'Code non disponibili ora.',
  'desk.queues.inbound': 'In entrata',
  'desk.queues.outbound': 'In uscita',
  'desk.queues.hint':
    'Da una coda disattivata non ti arrivano contatti. Quando ti scolleghi (Fine turno) torni attivo su tutte.',
} as const;

export const deskEn: Record<keyof typeof deskIt, string> = {
  'desk.transfer': 'Transfer',
  'desk.transfer.title': 'Transfer the call',
  'desk.transfer.hint':
    'Blind transfer: the caller waits with music until another operator takes the call and records the outcome. Your wrap-up starts at once.',
  'desk.transfer.target': 'Destination',
  'desk.transfer.queues': 'Queues',
  'desk.transfer.colleagues': 'Available colleagues',
  'desk.transfer.queueOnly': 'Your role does not see colleagues’ state: you can transfer to a queue.',
  'desk.transfer.noColleagues': 'No colleague is available now.',
  'desk.transfer.confirm': 'Transfer',
  'desk.transfer.error.unavailable':
    'The colleague is no longer available: choose another colleague or a queue.',
  'desk.transfer.error.unknown': 'Unknown destination for this call’s organization.',
  'desk.transfer.error.state': 'Only a call in progress can be transferred.',
  'desk.transfer.error.gone': 'The call is no longer there.',
  'desk.xlsx': 'Export XLSX',
  'desk.endWrapUp': 'End wrap-up',
  'desk.callbacks.title': 'My callbacks',
  'desk.callbacks.none': 'No callback waiting in your name.',
  'desk.callbacks.failed': 'Callbacks are not available now.',
  'desk.callbacks.unknownCaller': 'Caller not identified',
  'desk.callbacks.hint':
    'Callbacks promised “for me”: offered to you at the time set; if you do not take one within 30 minutes it goes to anyone.',
  'desk.queues.title': 'My queues',
  'desk.queues.failed': 'Queues are not available now.',
  'desk.queues.inbound': 'Inbound',
  'desk.queues.outbound': 'Outbound',
  'desk.queues.hint':
    'A queue switched off sends you no contacts. When you log out you are back on all of them.',
};
